// Resume after a SIGKILL: a `running` entry whose last attempt wrote a
// complete, readable result is completed with it; an earlier attempt's
// result, a malformed one, another experiment's, or an entry not running
// are left as they are (real files in a temp results dir).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adoptFinishedRuns } from '../../source/campaign/resumeAdopt.js';
import type { Manifest, ManifestEntry } from '../../source/campaign/types.js';

let results: string;
beforeEach(() => {
  results = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-adopt-'));
  fs.mkdirSync(path.join(results, 'aggregated'));
});
afterEach(() => fs.rmSync(results, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-28T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function put(name: string, expId: string, mtimeMs: number, text?: string): string {
  const file = path.join(results, 'aggregated', name);
  fs.writeFileSync(file, text ?? JSON.stringify({ total_energy_j: 5, total_tokens: 10, effective_config: { _metadata: { experiment_id: expId } } }));
  fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
  return file;
}

function entry(expId: string, patch: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    exp_id: expId,
    config_name: 'a',
    config_path: null,
    config_hash: '',
    backend: 'pytorch',
    container: 'pytorch',
    cycle_index: 0,
    status: 'running',
    result_path: null,
    started_at: iso(T0),
    completed_at: null,
    error: null,
    retry_count: 0,
    ...patch,
  };
}

const manifest = (experiments: ManifestEntry[]): Manifest => ({
  campaign_id: 'c',
  campaign_name: 'c',
  created_at: iso(T0),
  updated_at: iso(T0),
  config_hash: '',
  total_experiments: experiments.length,
  experiments,
});

describe('adoptFinishedRuns', () => {
  it('a running entry with a complete result since it started: completed, pointing to that file', async () => {
    const file = put('exp_a.json', '0001', T0 + 20_000);
    const { manifest: m, adopted } = await adoptFinishedRuns(manifest([entry('0001')]), results);
    expect(adopted).toEqual(['0001']);
    expect(m.experiments[0]).toMatchObject({ status: 'completed', result_path: file, completed_at: iso(T0 + 20_000), error: null });
  });

  it("a retried entry: only a result of its last attempt counts, not an earlier attempt's", async () => {
    put('exp_first.json', '0001', T0 + 5_000);
    const retried = entry('0001', { retry_count: 1, attempt_started_at: iso(T0 + 10_000) });
    const { manifest: m, adopted } = await adoptFinishedRuns(manifest([retried]), results);
    expect(adopted).toEqual([]);
    expect(m.experiments[0]!.status).toBe('running');
    const file = put('exp_second.json', '0001', T0 + 30_000);
    expect((await adoptFinishedRuns(manifest([retried]), results)).manifest.experiments[0]).toMatchObject({ status: 'completed', result_path: file });
  });

  it('a result written after the earlier run\'s harnesses were asked to stop may be partial: not adopted', async () => {
    put('exp_late.json', '0001', T0 + 20_000);
    const { adopted } = await adoptFinishedRuns(manifest([entry('0001')]), results, T0 + 19_000);
    expect(adopted).toEqual([]);
    expect((await adoptFinishedRuns(manifest([entry('0001')]), results, T0 + 21_000)).adopted).toEqual(['0001']);
  });

  it('a malformed result, an older one, or another experiment\'s: not adopted; entries not running: untouched', async () => {
    put('exp_half.json', '0001', T0 + 20_000, '{"total_energy_j": 5, "effective_config": {"_metadata": {"experiment_id": "0001"');
    put('exp_old.json', '0002', T0 - 60_000);
    put('exp_other.json', '0004', T0 + 20_000);
    put('exp_pending.json', '0003', T0 + 20_000);
    const entries = [entry('0001'), entry('0002'), entry('0003', { status: 'pending', started_at: null })];
    const { manifest: m, adopted } = await adoptFinishedRuns(manifest(entries), results);
    expect(adopted).toEqual([]);
    expect(m.experiments).toEqual(entries);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readMetrics, ResultFinder } from '../../source/campaign/results.js';

let results: string;
let aggregated: string;
beforeEach(() => {
  results = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-results-'));
  aggregated = path.join(results, 'aggregated');
  fs.mkdirSync(aggregated);
});
afterEach(() => fs.rmSync(results, { recursive: true, force: true }));

/** An aggregated result as lem writes it, for campaign experiment `expId`. */
function result(expId: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_version: '3.0.0',
    experiment_id: 'exp_20261128_100000_7_ab12',
    backend: 'pytorch',
    total_tokens: 12800,
    total_energy_j: 640,
    total_inference_time_sec: 10,
    avg_tokens_per_second: 1280,
    avg_energy_per_token_j: 0.05,
    total_flops: 1.28e13,
    energy_breakdown: { raw_j: 640, adjusted_j: 500, baseline_power_w: 42.5 },
    energy_tracking_failed: false,
    environment_snapshot: { hardware: { gpu: { name: 'NVIDIA A100-SXM4-80GB', vram_total_mb: 81920 } } },
    effective_config: { config_name: 'a', backend: 'pytorch', ...(expId === null ? {} : { _metadata: { experiment_id: expId } }) },
    ...extra,
  };
}

/** Writes aggregated/<name> and sets its modification time (epoch ms). */
function put(name: string, content: unknown, mtimeMs: number): string {
  const file = path.join(aggregated, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
  return file;
}

const T0 = Date.parse('2026-11-28T10:00:00Z');
const findResult = (dir: string, expId: string, options: { since: number }) => new ResultFinder(dir).find(expId, options);

describe('findResult', () => {
  it("finds the result by its metadata id, past decoys, malformed, partial and older files", async () => {
    put('exp_decoy.json', result('0002'), T0 + 5_000); // another experiment of the campaign
    put('exp_old.json', result('0001'), T0 - 60_000); // ours, but from an earlier run
    put('exp_broken.json', '{not json', T0 + 6_000);
    put('exp_partial.json', JSON.stringify(result('0001')).slice(0, 80), T0 + 7_000); // still being written
    put('exp_array.json', '[1,2,3]', T0 + 3_000);
    put('notes.txt', 'ignored', T0 + 3_000);
    fs.mkdirSync(path.join(aggregated, 'adir.json')); // a directory named like a result
    const ours = put('exp_20261128_100002_7_cd34.json', result('0001'), T0 + 2_000);
    expect(await findResult(results, '0001', { since: T0 })).toBe(ours);
  });

  it('takes the newest when an experiment wrote several results (retries)', async () => {
    put('exp_a.json', result('0001'), T0 + 1_000);
    const newest = put('exp_b.json', result('0001'), T0 + 9_000);
    put('exp_c.json', result('0001'), T0 + 4_000);
    expect(await findResult(results, '0001', { since: T0 })).toBe(newest);
  });

  it('falls back to aggregated/<expId>.json when it is fresh and names no other experiment', async () => {
    const named = put('0001.json', result(null), T0 + 1_000);
    expect(await findResult(results, '0001', { since: T0 })).toBe(named);
    put('0003.json', result('0009'), T0 + 1_000); // named after us, but written for 0009
    expect(await findResult(results, '0003', { since: T0 })).toBeNull();
    put('0004.json', result(null), T0 - 1_000); // from an earlier run
    expect(await findResult(results, '0004', { since: T0 })).toBeNull();
    put('0005.json', '{', T0 + 1_000);
    expect(await findResult(results, '0005', { since: T0 })).toBeNull();
  });

  it('returns null when there is no result or no results dir at all', async () => {
    put('exp_decoy.json', result('0002'), T0 + 1_000);
    expect(await findResult(results, '0001', { since: T0 })).toBeNull();
    expect(await findResult(path.join(results, 'missing'), '0001', { since: T0 })).toBeNull();
  });

  it('matches a numeric metadata id written by a YAML round trip', async () => {
    const file = put('exp_n.json', result(null, { effective_config: { _metadata: { experiment_id: 17 } } }), T0 + 1_000);
    expect(await findResult(results, '17', { since: T0 })).toBe(file);
  });
});

describe('ResultFinder (one per campaign)', () => {
  it('stats each file once across experiments, yet finds every result and a rewritten <expId>.json', async () => {
    const finder = new ResultFinder(results);
    const stat = vi.spyOn(fs.promises, 'stat');
    try {
      for (let i = 1; i <= 20; i++) put(`exp_earlier_${i}.json`, result(`9${i}`), T0 - 60_000); // an earlier campaign's
      const first = put('exp_1.json', result('0001'), T0 + 1_000);
      expect(await finder.find('0001', { since: T0 })).toBe(first);
      expect(stat).toHaveBeenCalledTimes(21);

      const second = put('exp_2.json', result('0002'), T0 + 2_000);
      stat.mockClear();
      expect(await finder.find('0002', { since: T0 + 1_500 })).toBe(second);
      expect(stat).toHaveBeenCalledTimes(1); // only the new file

      // A retry of 0003 rewrites aggregated/0003.json: seen once, then fresh again.
      put('0003.json', result(null), T0 - 5_000);
      expect(await finder.find('0003', { since: T0 + 2_500 })).toBeNull();
      const rewritten = put('0003.json', result(null), T0 + 3_000);
      expect(await finder.find('0003', { since: T0 + 2_500 })).toBe(rewritten);
    } finally {
      stat.mockRestore();
    }
  });
});

describe('readMetrics', () => {
  it('reads the numbers lem-tui shows and derives tokens per joule', async () => {
    const file = put('r.json', result('0001'), T0);
    expect(await readMetrics(file)).toEqual({
      resultPath: file,
      energyJ: 640,
      totalTokens: 12800,
      inferenceTimeSec: 10,
      tokensPerSecond: 1280,
      joulesPerToken: 0.05,
      tokensPerJoule: 20,
      energyTrackingFailed: false,
      gpuName: 'NVIDIA A100-SXM4-80GB',
      gpuVramTotalMb: 81920,
    });
  });

  it('a missing or non-numeric number is null (n/a), never 0', async () => {
    const data = result('0001', { total_energy_j: undefined, avg_tokens_per_second: 'fast', total_inference_time_sec: null, environment_snapshot: undefined });
    const metrics = await readMetrics(put('r.json', data, T0));
    expect(metrics).toMatchObject({
      energyJ: null,
      tokensPerSecond: null,
      inferenceTimeSec: null,
      tokensPerJoule: null,
      totalTokens: 12800,
      gpuName: null,
      gpuVramTotalMb: null,
    });
  });

  it('energy 0 gives 0 tokens per joule (not a division by zero)', async () => {
    const metrics = await readMetrics(put('r.json', result('0001', { total_energy_j: 0 }), T0));
    expect(metrics).toMatchObject({ energyJ: 0, tokensPerJoule: 0 });
  });

  it('a failed energy tracker flags the result and its energy figures are n/a', async () => {
    const data = result('0001', { energy_tracking_failed: true, total_energy_j: 0, avg_energy_per_token_j: 0 });
    const metrics = await readMetrics(put('r.json', data, T0));
    expect(metrics).toMatchObject({ energyTrackingFailed: true, energyJ: null, joulesPerToken: null, tokensPerJoule: null, tokensPerSecond: 1280 });
  });

  it('reads the GPU from `environment` and from a list of GPUs too', async () => {
    const data = result('0001', { environment_snapshot: undefined, environment: { hardware: { gpu: [{ name: 'H100', vram_total_mb: 81559 }, { name: 'H100' }] } } });
    expect(await readMetrics(put('r.json', data, T0))).toMatchObject({ gpuName: 'H100', gpuVramTotalMb: 81559 });
  });

  it.each([
    ['missing', null],
    ['malformed', '{"total_tokens": 1'],
    ['not an object', '"a string"'],
    ['empty', ''],
  ])('a %s file is null, never a throw', async (_what, content) => {
    const file = content === null ? path.join(aggregated, 'missing.json') : put('r.json', content, T0);
    expect(await readMetrics(file)).toBeNull();
  });
});

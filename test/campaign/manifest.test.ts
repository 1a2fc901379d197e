import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  archiveManifest,
  createManifest,
  loadManifest,
  ManifestError,
  parseManifestTime,
  readManifest,
  updateEntry,
  writeManifest,
} from '../../source/campaign/manifest.js';
import { plan } from './planFixture.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-manifest-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('createManifest', () => {
  it('has one pending entry per planned experiment, in plan order', () => {
    const m = createManifest(plan(['pytorch_fp16', 'vllm_fp16'], 2), {
      campaignFileHash: 'abc',
      composeProject: 'lem-3f2a9c1b',
      now: NOW,
    });
    expect(m).toMatchObject({
      campaign_id: '3f2a9c1b',
      campaign_name: 'test-campaign',
      created_at: '2026-11-28T10:00:00.000Z',
      updated_at: '2026-11-28T10:00:00.000Z',
      config_hash: 'abc',
      total_experiments: 4,
      compose_project: 'lem-3f2a9c1b',
    });
    expect(m.experiments.map((e) => [e.exp_id, e.config_name, e.cycle_index, e.container, e.status])).toEqual([
      ['0001', 'pytorch_fp16', 0, 'pytorch', 'pending'],
      ['0002', 'vllm_fp16', 0, 'vllm', 'pending'],
      ['0003', 'pytorch_fp16', 1, 'pytorch', 'pending'],
      ['0004', 'vllm_fp16', 1, 'vllm', 'pending'],
    ]);
    expect(m.experiments[0]).toEqual({
      exp_id: '0001',
      config_name: 'pytorch_fp16',
      config_path: '/camp/configs/pytorch_fp16.yaml',
      config_hash: 'hash-pytorch',
      backend: 'pytorch',
      container: 'pytorch',
      cycle_index: 0,
      status: 'pending',
      result_path: null,
      started_at: null,
      completed_at: null,
      error: null,
      retry_count: 0,
    });
  });

  it('records config paths relative to baseDir when given, and no compose project when null', () => {
    const m = createManifest(plan(['a']), { campaignFileHash: 'h', composeProject: null, now: NOW, baseDir: '/camp' });
    expect(m.experiments[0]!.config_path).toBe(path.join('configs', 'a.yaml'));
    expect('compose_project' in m).toBe(false);
  });
});

describe('updateEntry', () => {
  it('returns a new manifest and leaves the old one untouched', () => {
    const before = createManifest(plan(['a']), { campaignFileHash: 'h', now: NOW });
    const later = new Date('2026-11-28T11:00:00.000Z');
    const after = updateEntry(before, '0002', { status: 'running', started_at: later.toISOString() }, later);
    expect(after).not.toBe(before);
    expect(after.experiments[1]).toMatchObject({ exp_id: '0002', status: 'running', started_at: '2026-11-28T11:00:00.000Z' });
    expect(after.updated_at).toBe('2026-11-28T11:00:00.000Z');
    expect(before.experiments[1]!.status).toBe('pending');
    expect(before.updated_at).toBe('2026-11-28T10:00:00.000Z');
    expect(after.experiments[0]).toBe(before.experiments[0]);
  });

  it('throws on an id the manifest does not have', () => {
    const m = createManifest(plan(['a']), { campaignFileHash: 'h', now: NOW });
    expect(() => updateEntry(m, '9999', { status: 'failed' }, NOW)).toThrow(/no experiment 9999/);
  });
});

describe('writeManifest / readManifest', () => {
  it('round-trips as pretty JSON, creating the state dir', async () => {
    const file = path.join(dir, '.state', 'campaign_manifest.json');
    const m = createManifest(plan(['a', 'vllm_b']), { campaignFileHash: 'h', composeProject: 'lem-x', now: NOW });
    await writeManifest(file, m);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(m, null, 2)}\n`);
    expect(await readManifest(file)).toEqual(m);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['campaign_manifest.json']); // no temp file left
    expect((await loadManifest(file))!.writtenByLlenergymeasure).toBe(false);
  });

  it('returns null when there is no manifest', async () => {
    expect(await readManifest(path.join(dir, 'nope.json'))).toBeNull();
  });

  it.each([
    ['empty', '', /is empty/],
    ['not JSON', '{"campaign_id": ', /is not valid JSON/],
    ['not an object', '[1, 2]', /is not a campaign manifest/],
    ['a bad status', JSON.stringify({ campaign_id: 'x', campaign_name: 'y', created_at: '2026-01-01T00:00:00', experiments: [{ exp_id: '0001', config_name: 'a', cycle_index: 0, status: 'done' }] }), /experiments\[0\]\.status/],
    ['a bad timestamp', JSON.stringify({ campaign_id: 'x', campaign_name: 'y', created_at: 'yesterday', experiments: [] }), /created_at: not an ISO-8601 timestamp: "yesterday"/],
  ])('a manifest that is %s is a ManifestError naming the file', async (_what, content, message) => {
    const file = path.join(dir, 'campaign_manifest.json');
    fs.writeFileSync(file, content);
    const error = await readManifest(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message).toMatch(message);
    expect((error as ManifestError).message).toContain(file);
    expect((error as ManifestError).path).toBe(file);
  });

  it("reads llenergymeasure's manifest: local zone-less timestamps, microseconds, no lem-tui fields", async () => {
    const file = path.join(dir, 'campaign_manifest.json');
    const theirs = {
      campaign_id: '3f2a9c1b',
      campaign_name: 'backend-comparison',
      created_at: '2026-11-28T10:00:00.123456',
      updated_at: '2026-11-28T10:05:30.5',
      config_hash: 'deadbeef',
      total_experiments: 2,
      experiments: [
        {
          exp_id: '0001',
          config_name: 'pytorch_fp16',
          config_path: 'configs/pytorch_fp16.yaml',
          config_hash: 'a1b2c3d4e5f6',
          backend: 'pytorch',
          container: 'pytorch',
          cycle_index: 0,
          status: 'completed',
          result_path: 'results/aggregated/exp_1.json',
          started_at: '2026-11-28T10:00:01',
          completed_at: '2026-11-28T10:03:00.999999',
          error: null,
          retry_count: 0,
          some_future_field: 'kept',
        },
        { exp_id: '0002', config_name: 'vllm_fp16', config_path: 'configs/vllm_fp16.yaml', config_hash: 'x', backend: 'vllm', cycle_index: 0, status: 'running', started_at: '2026-11-28T10:03:05+02:00' },
      ],
    };
    fs.writeFileSync(file, JSON.stringify(theirs, null, 2));
    // Its naive updated_at says who wrote it: its top-level config_hash cannot be compared with ours.
    expect((await loadManifest(file))!.writtenByLlenergymeasure).toBe(true);
    const m = (await readManifest(file))!;
    expect(m.created_at).toBe(new Date(2026, 10, 28, 10, 0, 0, 123).toISOString());
    expect(m.updated_at).toBe(new Date(2026, 10, 28, 10, 5, 30, 500).toISOString());
    expect(m.experiments[0]!.completed_at).toBe(new Date(2026, 10, 28, 10, 3, 0, 999).toISOString());
    expect(m.experiments[0]).toMatchObject({ status: 'completed', result_path: 'results/aggregated/exp_1.json', some_future_field: 'kept' });
    // Missing fields take their defaults; the container is the backend's service.
    expect(m.experiments[1]).toMatchObject({
      status: 'running',
      container: 'vllm',
      result_path: null,
      completed_at: null,
      error: null,
      retry_count: 0,
      started_at: '2026-11-28T08:03:05.000Z',
    });
  });
});

describe('parseManifestTime', () => {
  it.each([
    ['2026-11-28T10:00:00Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T10:00:00.5+00:00', '2026-11-28T10:00:00.500Z'],
    ['2026-11-28T10:00:00-05:30', '2026-11-28T15:30:00.000Z'],
    ['2026-11-28 10:00:00+0100', '2026-11-28T09:00:00.000Z'],
    ['2026-11-28T10:00Z', '2026-11-28T10:00:00.000Z'],
  ])('reads zoned %s', (text, iso) => {
    expect(parseManifestTime(text)?.toISOString()).toBe(iso);
  });

  it('reads a zone-less timestamp as local time', () => {
    expect(parseManifestTime('2026-07-01T12:34:56.789012')?.getTime()).toBe(new Date(2026, 6, 1, 12, 34, 56, 789).getTime());
  });

  it.each(['', 'yesterday', '2026-13-01T00:00:00', '2026-11-28', '2026-11-28T25:00:00'])('rejects %j', (text) => {
    expect(parseManifestTime(text)).toBeNull();
  });
});

describe('archiveManifest', () => {
  it('moves the manifest aside with a timestamp, never overwriting an earlier archive', async () => {
    const file = path.join(dir, 'campaign_manifest.json');
    fs.writeFileSync(file, '{"first": true}');
    const first = await archiveManifest(file, NOW);
    expect(path.basename(first)).toBe('campaign_manifest.20261128T100000Z.json');
    fs.writeFileSync(file, '{"second": true}');
    const second = await archiveManifest(file, NOW);
    expect(path.basename(second)).toBe('campaign_manifest.20261128T100000Z-2.json');
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(first, 'utf8')).toBe('{"first": true}');
    expect(fs.readFileSync(second, 'utf8')).toBe('{"second": true}');
  });
});

import { describe, expect, it } from 'vitest';
import { createManifest, mergeForResume, updateEntry, wasInterrupted } from '../../source/campaign/manifest.js';
import type { Manifest, ManifestEntry } from '../../source/campaign/types.js';
import type { Plan } from '../../source/plan/types.js';
import { plan } from './planFixture.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const LATER = new Date('2026-11-29T08:00:00.000Z');

/** An earlier run of `p` whose entries have the given statuses, in order. */
function earlierRun(p: Plan, statuses: ManifestEntry['status'][]): Manifest {
  let m = createManifest(p, { campaignFileHash: 'old-hash', composeProject: 'lem-old', now: NOW });
  statuses.forEach((status, i) => {
    const expId = p.experiments[i]!.expId;
    const done = status === 'completed' || status === 'failed' || status === 'skipped';
    m = updateEntry(
      m,
      expId,
      {
        status,
        started_at: status === 'pending' ? null : NOW.toISOString(),
        completed_at: done ? NOW.toISOString() : null,
        result_path: status === 'completed' ? `results/aggregated/exp_${expId}.json` : null,
        error: status === 'failed' ? 'exit 1' : null,
        retry_count: status === 'failed' ? 2 : 0,
      },
      NOW,
    );
  });
  return m;
}

const rows = (m: Manifest) => m.experiments.map((e) => [e.exp_id, e.config_name, e.cycle_index, e.status]);

describe('mergeForResume', () => {
  it('same campaign: completed stay, interrupted (running) and pending run, failed stay failed', () => {
    const p = plan(['a', 'b'], 2);
    const old = earlierRun(p, ['completed', 'failed', 'running', 'pending']);
    const r = mergeForResume(old, p, { campaignFileHash: 'old-hash' });
    expect(r.changedCampaignFile).toBe(false);
    expect(r.completed).toBe(1);
    expect(r.added).toBe(0);
    expect(r.toRun).toEqual(['0003', '0004']);
    expect(rows(r.manifest)).toEqual([
      ['0001', 'a', 0, 'completed'],
      ['0002', 'b', 0, 'failed'],
      ['0003', 'a', 1, 'pending'],
      ['0004', 'b', 1, 'pending'],
    ]);
    // The completed entry is kept whole; the interrupted one forgets its start.
    expect(r.manifest.experiments[0]).toEqual(old.experiments[0]);
    expect(r.manifest.experiments[1]).toMatchObject({ error: 'exit 1', retry_count: 2 });
    expect(r.manifest.experiments[2]).toMatchObject({ started_at: null, completed_at: null });
    expect(r.plan.experiments.map((e) => e.expId)).toEqual(p.experiments.map((e) => e.expId));
    expect(r.manifest.compose_project).toBe('lem-old');
    expect(r.manifest.updated_at).toBe(old.updated_at);
  });

  it('rerunFailed queues failed and skipped experiments again, clearing their outcome', () => {
    const p = plan(['a', 'b'], 2);
    const old = earlierRun(p, ['completed', 'failed', 'skipped', 'completed']);
    const r = mergeForResume(old, p, { campaignFileHash: 'old-hash', rerunFailed: true, now: LATER, composeProject: 'lem-new' });
    expect(r.toRun).toEqual(['0002', '0003']);
    expect(r.manifest.experiments[1]).toMatchObject({ status: 'pending', error: null, completed_at: null, retry_count: 2 });
    expect(r.manifest.updated_at).toBe(LATER.toISOString());
    expect(r.manifest.compose_project).toBe('lem-new');
    expect(mergeForResume(old, p, { campaignFileHash: 'old-hash' }).toRun).toEqual([]);
  });

  it('a changed campaign file is reported, and the new hash recorded', () => {
    const p = plan(['a'], 1);
    const r = mergeForResume(earlierRun(p, ['completed']), p, { campaignFileHash: 'new-hash' });
    expect(r.changedCampaignFile).toBe(true);
    expect(r.manifest.config_hash).toBe('new-hash');
    expect(r.toRun).toEqual([]);
  });

  it('queues configs added to the campaign, with ids no old entry holds', () => {
    const before = plan(['a', 'b'], 2); // a0=0001 b0=0002 a1=0003 b1=0004
    const old = earlierRun(before, ['completed', 'completed', 'completed', 'running']);
    const after = plan(['c', 'a', 'b'], 2); // c0=0001 a0=0002 b0=0003 c1=0004 a1=0005 b1=0006
    const r = mergeForResume(old, after, { campaignFileHash: 'old-hash' });
    expect(r.added).toBe(2);
    expect(r.completed).toBe(3);
    expect(rows(r.manifest)).toEqual([
      ['0005', 'c', 0, 'pending'],
      ['0001', 'a', 0, 'completed'],
      ['0002', 'b', 0, 'completed'],
      ['0006', 'c', 1, 'pending'],
      ['0003', 'a', 1, 'completed'],
      ['0004', 'b', 1, 'pending'],
    ]);
    expect(r.toRun).toEqual(['0005', '0006', '0004']);
    // The plan to run carries the manifest's ids, in the new order.
    expect(r.plan.experiments.map((e) => [e.expId, e.config.name, e.cycleIndex])).toEqual([
      ['0005', 'c', 0],
      ['0001', 'a', 0],
      ['0002', 'b', 0],
      ['0006', 'c', 1],
      ['0003', 'a', 1],
      ['0004', 'b', 1],
    ]);
    expect(new Set(r.manifest.experiments.map((e) => e.exp_id)).size).toBe(6);
    expect(r.manifest.total_experiments).toBe(6);
  });

  it('a new experiment keeps its planned id when no old entry holds it (more cycles)', () => {
    const old = earlierRun(plan(['a'], 1), ['completed']);
    const r = mergeForResume(old, plan(['a'], 3), { campaignFileHash: 'old-hash' });
    expect(rows(r.manifest)).toEqual([
      ['0001', 'a', 0, 'completed'],
      ['0002', 'a', 1, 'pending'],
      ['0003', 'a', 2, 'pending'],
    ]);
    expect(r.added).toBe(2);
  });

  it('keeps entries the plan no longer has, untouched, after the planned ones', () => {
    const before = plan(['a', 'b'], 1);
    const old = earlierRun(before, ['completed', 'failed']);
    const r = mergeForResume(old, plan(['a'], 1), { campaignFileHash: 'old-hash', rerunFailed: true });
    expect(rows(r.manifest)).toEqual([
      ['0001', 'a', 0, 'completed'],
      ['0002', 'b', 0, 'failed'],
    ]);
    expect(r.manifest.experiments[1]).toEqual(old.experiments[1]);
    expect(r.toRun).toEqual([]);
    expect(r.plan.experiments).toHaveLength(1);
  });

  it('links by (config, cycle) even when a shuffle ordered the cycle differently', () => {
    const first = plan(['a', 'b'], 1); // a=0001 b=0002
    const old = earlierRun(first, ['completed', 'pending']);
    const reshuffled = plan(['b', 'a'], 1); // b=0001 a=0002
    const r = mergeForResume(old, reshuffled, { campaignFileHash: 'old-hash' });
    expect(rows(r.manifest)).toEqual([
      ['0002', 'b', 0, 'pending'],
      ['0001', 'a', 0, 'completed'],
    ]);
    expect(r.toRun).toEqual(['0002']);
    expect(r.plan.experiments.map((e) => [e.expId, e.config.name])).toEqual([
      ['0002', 'b'],
      ['0001', 'a'],
    ]);
  });

  it('a pending entry takes the config as it is now; a completed one keeps what ran', () => {
    const before = plan(['a', 'b'], 1);
    const old = earlierRun(before, ['completed', 'pending']);
    const after = plan(['a', 'b'], 1);
    for (const config of after.configs) config.configHash = 'edited000000';
    const r = mergeForResume(old, after, { campaignFileHash: 'old-hash' });
    expect(r.manifest.experiments.map((e) => e.config_hash)).toEqual([old.experiments[0]!.config_hash, 'edited000000']);
  });

  it('is pure', () => {
    const p = plan(['a'], 2);
    const old = earlierRun(p, ['completed', 'running']);
    const copy = structuredClone(old);
    mergeForResume(old, p, { campaignFileHash: 'x', rerunFailed: true, now: LATER });
    expect(old).toEqual(copy);
  });
});

/** A manifest entry as llenergymeasure writes it (its own exp_id, its config_hash). */
function theirEntry(exp_id: string, config_name: string, cycle_index: number, status: ManifestEntry['status'], config_hash: string, error: string | null = null): ManifestEntry {
  return {
    exp_id,
    config_name,
    config_path: `<grid:${config_name}>`,
    config_hash,
    backend: 'pytorch',
    container: 'pytorch',
    cycle_index,
    status,
    result_path: status === 'completed' ? `results/aggregated/${exp_id}.json` : null,
    started_at: status === 'pending' ? null : NOW.toISOString(),
    completed_at: status === 'completed' || status === 'failed' ? NOW.toISOString() : null,
    error,
    retry_count: 0,
  };
}

function theirManifest(entries: ManifestEntry[]): Manifest {
  const at = NOW.toISOString();
  return { campaign_id: '3f2a9c1b', campaign_name: 'test-campaign', created_at: at, updated_at: at, config_hash: '0123456789ab', total_experiments: entries.length, experiments: entries };
}

/** `plan` whose configs came from a grid (no source file) of one model. */
function gridPlan(names: string[], cycles: number, model: string | null = 'Qwen/Qwen2.5-0.5B'): Plan {
  const p = plan(names, cycles);
  p.configs.forEach((config, i) => Object.assign(config, { sourcePath: null, model, configHash: `grid${i}`.padEnd(12, '0') }));
  return p;
}

const FP16 = 'pytorch_fp_precision-float16';
const BF16 = 'pytorch_fp_precision-bfloat16';
const THEIRS = 'pytorch-Qwen/Qwen2.5-0.5B';
const linkedTo = (r: ReturnType<typeof mergeForResume>) => r.plan.experiments.map((e) => [e.config.name, e.cycleIndex, e.expId]);

describe('mergeForResume: interrupted runs', () => {
  it('a failed entry with "Interrupted by user" runs again without rerunFailed; one with a real error does not', () => {
    const p = plan(['a', 'b'], 1);
    let old = earlierRun(p, ['failed', 'failed']);
    old = updateEntry(old, '0001', { error: 'Interrupted by user' }, NOW);
    const r = mergeForResume(old, p, { campaignFileHash: 'old-hash' });
    expect(r.toRun).toEqual(['0001']);
    expect(rows(r.manifest)).toEqual([
      ['0001', 'a', 0, 'pending'],
      ['0002', 'b', 0, 'failed'],
    ]);
    expect(r.manifest.experiments[0]).toMatchObject({ error: null, completed_at: null, started_at: null });
  });

  it('wasInterrupted: running, or failed with exactly that error', () => {
    const entry = theirEntry('1', 'a', 0, 'failed', 'h', 'Interrupted by user');
    expect(wasInterrupted(entry)).toBe(true);
    expect(wasInterrupted({ ...entry, status: 'running', error: null })).toBe(true);
    expect(wasInterrupted({ ...entry, error: 'exit 1' })).toBe(false);
    expect(wasInterrupted({ ...entry, status: 'completed' })).toBe(false);
  });
});

describe('mergeForResume: linking entries to the plan', () => {
  it('where several entries share (config_name, cycle_index), the one with the planned config_hash is taken', () => {
    const p = plan(['a'], 1);
    const hash = p.configs[0]!.configHash;
    const old = theirManifest([theirEntry('0001', 'a', 0, 'failed', 'an-old-hash1', 'exit 1'), theirEntry('0002', 'a', 0, 'completed', hash)]);
    const r = mergeForResume(old, p, { campaignFileHash: 'x' });
    expect(linkedTo(r)).toEqual([['a', 0, '0002']]);
    expect(r.completed).toBe(1);
    expect(r.manifest.experiments.map((e) => e.exp_id)).toEqual(['0002', '0001']); // the other is kept, after
    // Without a hash that matches, the first in manifest order, as before.
    const none = theirManifest([theirEntry('0001', 'a', 0, 'failed', 'x1', 'exit 1'), theirEntry('0002', 'a', 0, 'completed', 'x2')]);
    expect(linkedTo(mergeForResume(none, p, { campaignFileHash: 'x' }))).toEqual([['a', 0, '0001']]);
  });

  it("a grid experiment with no entry of its own name takes llenergymeasure's <backend>-<model> entry at its position", () => {
    const p = gridPlan([FP16, BF16], 2);
    const old = theirManifest([
      theirEntry('0101', THEIRS, 0, 'completed', 'theirs000001'),
      theirEntry('0102', THEIRS, 0, 'completed', 'theirs000002'),
      theirEntry('0103', THEIRS, 1, 'running', 'theirs000001'),
      theirEntry('0104', THEIRS, 1, 'pending', 'theirs000002'),
    ]);
    const r = mergeForResume(old, p, { campaignFileHash: 'x' });
    expect(linkedTo(r)).toEqual([
      [FP16, 0, '0101'],
      [BF16, 0, '0102'],
      [FP16, 1, '0103'],
      [BF16, 1, '0104'],
    ]);
    expect(r.linkedByPosition).toBe(4);
    expect(r.added).toBe(0);
    expect(r.completed).toBe(2);
    expect(r.toRun).toEqual(['0103', '0104']);
    // Their names stay (llenergymeasure can still read the manifest); the hash becomes ours.
    expect(r.manifest.experiments.map((e) => e.config_name)).toEqual([THEIRS, THEIRS, THEIRS, THEIRS]);
    expect(r.manifest.experiments[2]!.config_hash).toBe(p.configs[0]!.configHash);
    // A second resume of the result links the same way.
    expect(linkedTo(mergeForResume(r.manifest, p, { campaignFileHash: 'x' }))).toEqual(linkedTo(r));
  });

  it('a matching config_hash beats the position; the model may appear by its last part only', () => {
    const p = gridPlan([FP16, BF16], 1);
    const [fp16, bf16] = p.configs.map((c) => c.configHash) as [string, string];
    const old = theirManifest([theirEntry('0001', 'pytorch-Qwen2.5-0.5B', 0, 'completed', bf16), theirEntry('0002', 'pytorch-Qwen2.5-0.5B', 0, 'completed', fp16)]);
    const r = mergeForResume(old, p, { campaignFileHash: 'x' });
    expect(linkedTo(r)).toEqual([
      [FP16, 0, '0002'],
      [BF16, 0, '0001'],
    ]);
    expect(r.linkedByPosition).toBe(0);
    expect(r.toRun).toEqual([]);
  });

  it('an entry of its own name wins; a config from a file, or a grid one without a model, is never linked by position', () => {
    const p = gridPlan([FP16, BF16], 1);
    const old = theirManifest([theirEntry('0001', THEIRS, 0, 'completed', 'theirs000001'), theirEntry('0002', BF16, 0, 'completed', 'ours00000002')]);
    const r = mergeForResume(old, p, { campaignFileHash: 'x' });
    // BF16 takes its own entry; FP16 is first among the grid configs of that backend and model: position 0.
    expect(linkedTo(r)).toEqual([
      [FP16, 0, '0001'],
      [BF16, 0, '0002'],
    ]);
    expect(r.linkedByPosition).toBe(1);

    const fromFiles = plan([FP16], 1);
    const noModel = gridPlan([FP16], 1, null);
    const one = theirManifest([theirEntry('0001', THEIRS, 0, 'completed', 'theirs000001')]);
    for (const q of [fromFiles, noModel]) {
      const merged = mergeForResume(one, q, { campaignFileHash: 'x' });
      expect(merged.added).toBe(1);
      expect(merged.linkedByPosition).toBe(0);
    }
  });

  it("llenergymeasure's manifest: its campaign hash is not compared; entries of a planned name with another config_hash are counted", () => {
    const p = gridPlan([FP16, BF16], 1);
    const old = theirManifest([theirEntry('0001', THEIRS, 0, 'completed', 'theirs000001'), theirEntry('0002', BF16, 0, 'completed', 'edited000000')]);
    const r = mergeForResume(old, p, { campaignFileHash: 'ours-differs', writtenByLlenergymeasure: true });
    expect(r.changedCampaignFile).toBe(false);
    expect(r.changedConfigs).toBe(1); // BF16 by name; FP16's link by position is not a change
    const same = theirManifest([theirEntry('0002', BF16, 0, 'completed', p.configs[1]!.configHash)]);
    expect(mergeForResume(same, p, { campaignFileHash: 'ours-differs', writtenByLlenergymeasure: true }).changedConfigs).toBe(0);
    // Our own manifests: the campaign file's hash, as before, and no per-entry count.
    const ours = mergeForResume(old, p, { campaignFileHash: 'ours-differs' });
    expect([ours.changedCampaignFile, ours.changedConfigs]).toEqual([true, 0]);
  });
});

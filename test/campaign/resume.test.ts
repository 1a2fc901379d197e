import { describe, expect, it } from 'vitest';
import { createManifest, mergeForResume, updateEntry } from '../../source/campaign/manifest.js';
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

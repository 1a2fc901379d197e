// Several experiments at once (--gpus): each running one has its own log ring,
// the rings kept stay bounded, gaps are per slot, and the ETA shares the work.
import { describe, expect, it } from 'vitest';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { selectEta } from '../../source/state/selectors.js';
import { FAILURE_TAIL, LOG_RING_SIZE, type Action, type CampaignState } from '../../source/state/types.js';
import { experiments, finished, meta, planned, S, T0 } from './fixtures.js';

const run = (actions: Action[], from: CampaignState = initialCampaignState()) => actions.reduce(campaignReducer, from);
const exp = (state: CampaignState, expId: string) => state.experiments.find((e) => e.expId === expId)!;
const started = (expId: string, at: number, gpu: string, slot: number, attempt = 1): Action => ({
  type: 'experiment/started',
  at,
  expId,
  attempt,
  gpus: [gpu],
  slot,
});
const output = (expId: string, at: number, lines: string[]): Action => ({ type: 'experiment/output', at, expId, lines });
const tick = (at: number): Action => ({ type: 'tick', at });
const gpuMeta = { ...meta, gpus: ['0', '1'], slots: 2 };

describe('two experiments running at once', () => {
  const both = () =>
    run([planned(T0, experiments(), gpuMeta), started('0001', T0, '0', 0), started('0002', T0 + S, '1', 1)]);

  it('tracks both as running in start order, with their GPUs; the latest started is followed', () => {
    const s = both();
    expect(s.running).toEqual(['0001', '0002']);
    expect(exp(s, '0001')).toMatchObject({ status: 'running', gpus: ['0'] });
    expect(exp(s, '0002')).toMatchObject({ status: 'running', gpus: ['1'] });
    expect(s.currentExpId).toBe('0002');
    expect(s.log.expId).toBe('0002');
  });

  it('keeps their logs apart while output interleaves; the followed log does not jump', () => {
    const s = run(
      [output('0001', T0 + 2 * S, ['a1']), output('0002', T0 + 2 * S, ['b1']), output('0001', T0 + 3 * S, ['a2', 'a3'])],
      both(),
    );
    expect(s.logs['0001']?.lines).toEqual(['a1', 'a2', 'a3']);
    expect(s.logs['0002']?.lines).toEqual(['b1']);
    expect(s.log).toBe(s.logs['0002']);
  });

  it('a failure keeps its own tail, not the neighbour’s output', () => {
    const lines = Array.from({ length: FAILURE_TAIL + 5 }, (_, i) => `a${i}`);
    const s = run(
      [output('0001', T0 + 2 * S, lines), output('0002', T0 + 2 * S, ['b1']), finished('0001', T0 + 9 * S, 9 * S, 'failed', null, 'exit 1')],
      both(),
    );
    expect(exp(s, '0001').failureTail).toEqual(lines.slice(-FAILURE_TAIL));
    expect(s.running).toEqual(['0002']);
    expect(s.currentExpId).toBe('0002');
  });

  it('when the followed one ends the other is followed; alone, the ended one stays on screen', () => {
    let s = run([output('0001', T0 + 2 * S, ['a1']), finished('0002', T0 + 5 * S, 4 * S)], both());
    expect(s.currentExpId).toBe('0001');
    expect(s.log.lines).toEqual(['a1']);
    s = run([finished('0001', T0 + 6 * S, 6 * S)], s);
    expect(s.running).toEqual([]);
    expect(s.currentExpId).toBeNull();
    expect(s.log.expId).toBe('0001');
  });

  it('keeps rings of the running ones and the one ended last only, each at most LOG_RING_SIZE', () => {
    const flood = Array.from({ length: LOG_RING_SIZE * 2 }, (_, i) => `l${i}`);
    let s = run([output('0001', T0 + S, flood), output('0002', T0 + S, flood)], both());
    s = run([finished('0001', T0 + 10 * S, 10 * S), started('0003', T0 + 11 * S, '0', 0), output('0003', T0 + 12 * S, flood)], s);
    expect(Object.keys(s.logs).sort()).toEqual(['0001', '0002', '0003']);
    s = run([finished('0002', T0 + 20 * S, 19 * S), started('0004', T0 + 21 * S, '1', 1)], s);
    // 0001 ended before 0002: its ring is gone.
    expect(Object.keys(s.logs).sort()).toEqual(['0002', '0003', '0004']);
    for (const ring of Object.values(s.logs)) expect(ring.lines.length).toBeLessThanOrEqual(LOG_RING_SIZE);
    expect(s.running).toEqual(['0003', '0004']);
  });

  it('a retry waits as pending; its next attempt continues its own ring', () => {
    let s = run(
      [
        output('0001', T0 + S, ['first try']),
        { type: 'experiment/retrying', at: T0 + 2 * S, expId: '0001', nextAttempt: 2, reason: 'exit 137', delayMs: S },
      ],
      both(),
    );
    expect(s.running).toEqual(['0002']);
    s = run([started('0001', T0 + 3 * S, '0', 0, 2)], s);
    expect(s.logs['0001']?.lines).toEqual(['first try', '── attempt 2 · after: exit 137 ──']);
    expect(s.running).toEqual(['0002', '0001']);
  });

  it('campaign/finished ends every running one', () => {
    const s = run([{ type: 'campaign/finished', at: T0 + 9 * S, exitCode: 130, leftRunning: [] }], both());
    expect(s.running).toEqual([]);
    expect(s.logs).toEqual({});
    expect(exp(s, '0001').status).toBe('interrupted');
    expect(exp(s, '0002').status).toBe('interrupted');
  });
});

describe('gaps per slot', () => {
  it('a slot waits while another runs; its next start ends only its own gap', () => {
    let s = run([
      planned(T0, experiments(), gpuMeta),
      started('0001', T0, '0', 0),
      started('0002', T0, '1', 1),
      finished('0001', T0 + 10 * S, 10 * S),
      { type: 'gap/started', at: T0 + 10 * S, kind: 'experiment', endsAt: T0 + 70 * S, slot: 0 },
      finished('0002', T0 + 20 * S, 20 * S),
      { type: 'gap/started', at: T0 + 20 * S, kind: 'experiment', endsAt: T0 + 80 * S, slot: 1 },
      { type: 'gap/cooling', at: T0 + 30 * S, waitingFor: 'GPU 1: 70 °C → 45 °C', slot: 1 },
    ]);
    expect(Object.keys(s.gaps)).toEqual(['0', '1']);
    expect(s.gaps[1]?.coolingFor).toBe('GPU 1: 70 °C → 45 °C');
    expect(s.gap).toBe(s.gaps[0]);
    s = run([started('0003', T0 + 70 * S, '0', 0)], s);
    expect(Object.keys(s.gaps)).toEqual(['1']);
    expect(s.gap).toBe(s.gaps[1]);
    s = run([{ type: 'gap/ended', at: T0 + 75 * S, slot: 1 }], s);
    expect(s.gaps).toEqual({});
    expect(s.gap).toBeNull();
  });
});

describe('selectEta with slots', () => {
  it('divides the work left by the slots', () => {
    const views = experiments(3); // 6 experiments
    const one = run([planned(T0, views, meta), finished('0001', T0 + 100 * S, 100 * S), finished('0002', T0 + 200 * S, 100 * S)]);
    expect(selectEta(one)).toBe(4 * 100 * S);
    const two = run([planned(T0, views, gpuMeta), finished('0001', T0 + 100 * S, 100 * S), finished('0002', T0 + 100 * S, 100 * S)]);
    expect(selectEta(two)).toBe((4 * 100 * S) / 2);
  });

  it('is never less than the longest running experiment, and uses no more slots than there is work', () => {
    const views = experiments(2); // 4 experiments
    const four = { ...gpuMeta, gpus: ['0', '1', '2', '3'], slots: 4 };
    const s = run([
      planned(T0, views, four),
      finished('0001', T0 + 100 * S, 100 * S),
      finished('0002', T0 + 100 * S, 100 * S),
      started('0003', T0 + 100 * S, '0', 0),
      started('0004', T0 + 190 * S, '1', 1),
      tick(T0 + 190 * S),
    ]);
    // left: 0003 10 s, 0004 100 s; two experiments, so two slots count: max(100, 110 / 2)
    expect(selectEta(s)).toBe(100 * S);
  });

  it('gaps run per slot: each running gap counts what is left of it, the rest are shared', () => {
    const m = { ...gpuMeta, configGapSeconds: 60, cycleGapSeconds: 60 };
    const s = run([
      planned(T0, experiments(2), m),
      finished('0001', T0 + 100 * S, 100 * S),
      finished('0002', T0 + 100 * S, 100 * S),
      { type: 'gap/started', at: T0 + 100 * S, kind: 'cycle', endsAt: T0 + 160 * S, slot: 0 },
      { type: 'gap/started', at: T0 + 100 * S, kind: 'cycle', endsAt: T0 + 160 * S, slot: 1 },
      tick(T0 + 130 * S),
    ]);
    // two pending (2 × 100 s) and two running gaps with 30 s left each, over two slots
    expect(selectEta(s)).toBe((200 * S + 60 * S) / 2);
  });
});

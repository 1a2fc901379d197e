import { describe, expect, it } from 'vitest';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { ENERGY_DISAGREEMENT, type GpuFigures } from '../../source/domain/gpu.js';
import {
  hostEnergyShare,
  energyDisagrees,
  selectConfigSummaries,
  selectCurrent,
  selectElapsed,
  selectEta,
  selectProgress,
  selectSilentMsOf,
} from '../../source/state/selectors.js';
import type { Action, CampaignState } from '../../source/state/types.js';
import { experiments, finished, meta, metrics, planned, S, T0, view } from './fixtures.js';

const run = (actions: Action[], from: CampaignState = initialCampaignState()) => actions.reduce(campaignReducer, from);
const started = (expId: string, at: number): Action => ({ type: 'experiment/started', at, expId, attempt: 1 });
const tick = (at: number): Action => ({ type: 'tick', at });

describe('selectProgress', () => {
  it('counts outcomes; skipped counts as done', () => {
    const s = run([
      planned(),
      finished('0001', T0, S),
      finished('0002', T0, S, 'failed', null, 'exit 1'),
      finished('0003', T0, S, 'skipped', null, 'skipped by user'),
    ]);
    expect(selectProgress(s)).toEqual({ done: 3, completed: 1, failed: 1, skipped: 1, interrupted: 0, total: 4, fraction: 0.75 });
  });

  it('an experiment a stop interrupted is counted as interrupted, not skipped', () => {
    const s = run([planned(), finished('0001', T0, S), started('0002', T0 + S), { type: 'campaign/finished', at: T0 + 2 * S, exitCode: 130, leftRunning: [] }]);
    expect(selectProgress(s)).toMatchObject({ done: 2, completed: 1, skipped: 0, interrupted: 1 });
  });

  it('is 0 of 0 before a plan', () => {
    expect(selectProgress(initialCampaignState())).toEqual({ done: 0, completed: 0, failed: 0, skipped: 0, interrupted: 0, total: 0, fraction: 0 });
  });
});

describe('selectElapsed', () => {
  it('is null before the start, runs with the clock, and stops at the end', () => {
    expect(selectElapsed(run([planned()]))).toBeNull();
    const s = run([planned(), { type: 'campaign/started', at: T0 + S }, tick(T0 + 61 * S)]);
    expect(selectElapsed(s)).toBe(60 * S);
    const end = run([{ type: 'campaign/finished', at: T0 + 100 * S, exitCode: 0, leftRunning: [] }, tick(T0 + 500 * S)], s);
    expect(selectElapsed(end)).toBe(99 * S);
  });
});

describe('selectEta', () => {
  it('is null until an experiment completed', () => {
    const s = run([planned(), started('0001', T0), finished('0001', T0 + 10 * S, 10 * S, 'failed', null, 'x'), started('0002', T0 + 11 * S)]);
    expect(selectEta(s)).toBeNull();
  });

  it('is the mean duration of completed experiments times those remaining', () => {
    const s = run([planned(), finished('0001', T0 + 100 * S, 100 * S), finished('0002', T0 + 400 * S, 300 * S)]);
    expect(selectEta(s)).toBe(2 * 200 * S);
  });

  it('counts only what is left of the running experiment', () => {
    const s = run([planned(), finished('0001', T0 + 100 * S, 100 * S), started('0002', T0 + 100 * S), tick(T0 + 130 * S)]);
    expect(selectEta(s)).toBe(70 * S + 2 * 100 * S);
    const late = run([tick(T0 + 500 * S)], s);
    expect(selectEta(late)).toBe(2 * 100 * S);
  });

  it('adds the gaps still ahead when the meta knows them', () => {
    const m = { ...meta, configGapSeconds: 60, cycleGapSeconds: 300 };
    // 0001 A c0, 0002 B c0, 0003 A c1, 0004 B c1
    const s = run([planned(T0, experiments(), m), finished('0001', T0 + 100 * S, 100 * S)]);
    // remaining: 3 × 100 s; gaps before 0002 (60), 0003 (cycle, 300), 0004 (60)
    expect(selectEta(s)).toBe(300 * S + 420 * S);
    // during the gap before 0002: what is left of it replaces its full length
    const inGap = run([{ type: 'gap/started', at: T0 + 100 * S, kind: 'experiment', endsAt: T0 + 160 * S }, tick(T0 + 150 * S)], s);
    expect(selectEta(inGap)).toBe(300 * S + 10 * S + 360 * S);
  });

  it('is 0 when nothing is left', () => {
    const s = run([planned(T0, experiments(1)), finished('0001', T0, 5 * S), finished('0002', T0, 5 * S, 'failed', null, 'x')]);
    expect(selectEta(s)).toBe(0);
  });
});

describe('selectCurrent, selectSilentMsOf', () => {
  it('returns the running experiment and how long it has been silent', () => {
    let s = run([planned(), started('0002', T0), tick(T0 + 5 * S)]);
    expect(selectCurrent(s)?.expId).toBe('0002');
    expect(selectSilentMsOf(s, selectCurrent(s)!)).toBe(5 * S);
    s = run([{ type: 'experiment/output', at: T0 + 6 * S, expId: '0002', lines: ['x'] }, tick(T0 + 9 * S)], s);
    expect(selectSilentMsOf(s, selectCurrent(s)!)).toBe(3 * S);
    s = run([finished('0002', T0 + 10 * S, 10 * S)], s);
    expect(selectCurrent(s)).toBeNull();
  });
});

describe('selectConfigSummaries', () => {
  const views = [
    view(0, 0, 'A', 'pytorch'),
    view(1, 0, 'B', 'vllm'),
    view(2, 1, 'A', 'pytorch'),
    view(3, 1, 'B', 'vllm'),
    view(4, 2, 'A', 'pytorch'),
    view(5, 2, 'B', 'vllm'),
  ];

  it('gives mean, sample spread and CI per config, in order of first appearance', () => {
    const s = run([
      planned(T0, views),
      finished('0001', T0, S, 'completed', metrics(100, 10, 1)),
      finished('0003', T0, S, 'completed', metrics(200, 20, 2)),
      finished('0005', T0, S, 'completed', metrics(300, 30, 3)),
      finished('0002', T0, S, 'failed', null, 'exit 137'),
    ]);
    const [a, b] = selectConfigSummaries(s);
    expect(a).toMatchObject({ configName: 'A', backend: 'pytorch', n: 3, failed: 0, skipped: 0, energyTrackingFailed: 0 });
    expect(a!.energyJ).toEqual({ n: 3, mean: 200, spread: 100 });
    expect(a!.tokensPerSecond).toEqual({ n: 3, mean: 20, spread: 10 });
    expect(a!.joulesPerToken).toEqual({ n: 3, mean: 2, spread: 1 });
    expect(a!.energyCi95!.low).toBeGreaterThanOrEqual(100);
    expect(a!.energyCi95!.high).toBeLessThanOrEqual(300);
    expect(a!.energyCi95!.low).toBeLessThan(200);
    expect(a!.energyCi95!.high).toBeGreaterThan(200);
    // B: nothing measured is n/a (null), never 0
    expect(b).toMatchObject({ configName: 'B', n: 0, failed: 1, energyJ: null, tokensPerSecond: null, joulesPerToken: null, energyCi95: null });
  });

  it('leaves null metrics out, and gives no spread or CI for a single value', () => {
    const s = run([
      planned(T0, views),
      finished('0001', T0, S, 'completed', metrics(null, 10, null)),
      finished('0003', T0, S, 'completed', metrics(250, 30, 2.5)),
      finished('0005', T0, S, 'completed', null, 'no result file found'),
    ]);
    const a = selectConfigSummaries(s)[0]!;
    expect(a.n).toBe(3);
    expect(a.energyJ).toEqual({ n: 1, mean: 250, spread: null });
    expect(a.energyCi95).toBeNull();
    expect(a.tokensPerSecond).toEqual({ n: 2, mean: 20, spread: Math.sqrt(200) });
    expect(a.joulesPerToken).toEqual({ n: 1, mean: 2.5, spread: null });
  });

  it('leaves the energy of a result whose tracking failed out, and counts it', () => {
    const s = run([
      planned(T0, views),
      finished('0001', T0, S, 'completed', metrics(0, 10, 0, { energyTrackingFailed: true })),
      finished('0003', T0, S, 'completed', metrics(200, 30, 2)),
    ]);
    const a = selectConfigSummaries(s)[0]!;
    expect(a.energyTrackingFailed).toBe(1);
    expect(a.energyJ).toEqual({ n: 1, mean: 200, spread: null });
    expect(a.joulesPerToken?.n).toBe(1);
    expect(a.tokensPerSecond?.n).toBe(2);
  });

  it('gives the same CI every time (seeded)', () => {
    const build = () =>
      run([
        planned(T0, views),
        finished('0001', T0, S, 'completed', metrics(101.5, 1, 1)),
        finished('0003', T0, S, 'completed', metrics(97.25, 1, 1)),
        finished('0005', T0, S, 'completed', metrics(110, 1, 1)),
      ]);
    const first = selectConfigSummaries(build())[0]!.energyCi95;
    const second = selectConfigSummaries(build())[0]!.energyCi95;
    expect(first).not.toBeNull();
    expect(second).toEqual(first);
  });
});

describe('energyDisagrees', () => {
  const gpu = (gpuEnergyJ: number | null): GpuFigures => ({
    gpuIndices: [0],
    gpuEnergyJ,
    gpuMeanPowerW: null,
    gpuPeakPowerW: null,
    gpuPeakMemoryMiB: null,
    gpuMaxTemperatureC: null,
    gpuThrottled: null,
    samples: 10,
    gpuEnergyMissing: null,
  });

  it('is true past ENERGY_DISAGREEMENT of the host figure, either way', () => {
    expect(ENERGY_DISAGREEMENT).toBe(0.25);
    expect(energyDisagrees(metrics(1250, 1, 1), gpu(1000))).toBe(false); // exactly 25 %
    expect(energyDisagrees(metrics(1251, 1, 1), gpu(1000))).toBe(true);
    expect(energyDisagrees(metrics(750, 1, 1), gpu(1000))).toBe(false);
    expect(energyDisagrees(metrics(749, 1, 1), gpu(1000))).toBe(true);
    // relative to the host: harness 1000 vs host 1400 is 28.6 % of 1400
    expect(energyDisagrees(metrics(1000, 1, 1), gpu(1400))).toBe(true);
  });

  it('is false when either figure is missing or the harness tracking failed', () => {
    expect(energyDisagrees(null, gpu(1000))).toBe(false);
    expect(energyDisagrees(metrics(5000, 1, 1), null)).toBe(false);
    expect(energyDisagrees(metrics(5000, 1, 1), undefined)).toBe(false);
    expect(energyDisagrees(metrics(null, 1, 1), gpu(1000))).toBe(false);
    expect(energyDisagrees(metrics(5000, 1, 1), gpu(null))).toBe(false);
    expect(energyDisagrees(metrics(5000, 1, 1, { energyTrackingFailed: true }), gpu(1000))).toBe(false);
  });

  it('any energy disagrees with a host 0 J, none does not', () => {
    expect(energyDisagrees(metrics(10, 1, 1), gpu(0))).toBe(true);
    expect(energyDisagrees(metrics(0, 1, 1), gpu(0))).toBe(false);
  });
});

describe('selectConfigSummaries, host energy', () => {
  const withGpu = (expId: string, energyJ: number | null, hostJ: number | null): Action => ({
    ...(finished(expId, T0, S, 'completed', metrics(energyJ, 10, 1)) as Extract<Action, { type: 'experiment/finished' }>),
    gpu: { gpuIndices: [0], gpuEnergyJ: hostJ, gpuMeanPowerW: null, gpuPeakPowerW: null, gpuPeakMemoryMiB: null, gpuMaxTemperatureC: null, gpuThrottled: null, samples: 3, gpuEnergyMissing: hostJ === null ? 'GPU 0: no power reading for 12 s (more than 3 s)' : null },
  });

  it('gives the mean of the host energies and counts the runs that disagree', () => {
    const s = run([planned(), withGpu('0001', 100, 100), withGpu('0003', 200, 100), finished('0002', T0, S, 'completed', metrics(5, 1, 1))]);
    const [a, b] = selectConfigSummaries(s);
    expect(a!.hostEnergyJ).toEqual({ n: 2, mean: 100, spread: 0 });
    expect(a!.energyDisagreements).toBe(1);
    expect(b!.hostEnergyJ).toBeNull(); // no telemetry: n/a, never 0
    expect(b!.energyDisagreements).toBe(0);
  });

  it('says on how many of the completed runs the host mean rests: "(k of n)" when fewer than all', () => {
    const some = run([planned(), withGpu('0001', 100, 100), withGpu('0003', 100, null)]);
    const [a] = selectConfigSummaries(some);
    expect(a).toMatchObject({ n: 2, hostEnergyRuns: 1, hostEnergyJ: { n: 1, mean: 100 } });
    expect(hostEnergyShare(a!)).toBe(' (1 of 2)');
    const all = selectConfigSummaries(run([planned(), withGpu('0001', 100, 100), withGpu('0003', 100, 120)]))[0]!;
    expect(hostEnergyShare(all)).toBe('');
    const none = selectConfigSummaries(run([planned(), withGpu('0001', 100, null)]))[0]!;
    expect(hostEnergyShare(none)).toBe(''); // n/a says it already
  });
});

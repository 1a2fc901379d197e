// Campaign states for the view tests, with a fixed clock.
import type { ExperimentMetrics } from '../../source/campaign/types.js';
import type { ContainerState } from '../../source/compose/types.js';
import type { CampaignMeta, CampaignState, ExperimentView } from '../../source/state/types.js';

export const T0 = 1_700_000_000_000;
export const MIN = 60_000;

export const meta: CampaignMeta = {
  campaignName: 'backend-comparison',
  campaignId: 'a1b2c3d4',
  strategy: 'persistent',
  dispatch: 'docker',
  dispatchReason: 'Docker: 2 backends',
  composeProject: 'lem-a1b2c3d4',
  cycles: 3,
  structure: 'interleaved',
  resultsDir: 'results',
  manifestPath: '.state/campaign_manifest.json',
  logDir: '.state/logs/a1b2c3d4',
  autoTeardown: false,
};

const CONFIGS = [
  { name: 'pytorch_bs4', backend: 'pytorch' },
  { name: 'vllm_bs8', backend: 'vllm' },
  { name: 'pytorch_batch_size-8_fp_precision-float16', backend: 'pytorch' },
  { name: 'vllm_gpu_memory_utilization-0.45', backend: 'vllm' },
];

export function metrics(energyJ: number | null, tokens: number, seconds: number, trackingFailed = false): ExperimentMetrics {
  return {
    resultPath: 'results/x.json',
    energyJ,
    totalTokens: tokens,
    inferenceTimeSec: seconds,
    tokensPerSecond: tokens / seconds,
    joulesPerToken: energyJ === null ? null : energyJ / tokens,
    tokensPerJoule: energyJ === null ? null : tokens / energyJ,
    energyTrackingFailed: trackingFailed,
    gpuName: 'A100',
  };
}

function pending(i: number): ExperimentView {
  const cfg = CONFIGS[i % CONFIGS.length]!;
  return {
    expId: String(i + 1).padStart(4, '0'),
    index: i,
    cycleIndex: Math.floor(i / CONFIGS.length),
    configName: cfg.name,
    backend: cfg.backend,
    service: cfg.backend,
    status: 'pending',
    attempt: 1,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    exitCode: null,
    reason: null,
    metrics: null,
    lastOutputAt: null,
    stuck: false,
    failureTail: [],
  };
}

function done(e: ExperimentView, start: number, ms: number, m: ExperimentMetrics | null): ExperimentView {
  return { ...e, status: 'completed', startedAt: start, finishedAt: start + ms, durationMs: ms, exitCode: 0, metrics: m };
}

function service(name: string, patch: Partial<ContainerState> = {}): ContainerState {
  return {
    service: name,
    status: 'stopped',
    restarts: 0,
    startedAt: null,
    lastExitCode: null,
    containerId: null,
    message: null,
    ...patch,
  };
}

export function baseState(patch: Partial<CampaignState> = {}): CampaignState {
  return {
    meta,
    phase: 'running',
    startedAt: T0,
    finishedAt: null,
    now: T0,
    services: { pytorch: service('pytorch'), vllm: service('vllm') },
    serviceOrder: ['pytorch', 'vllm'],
    experiments: Array.from({ length: 12 }, (_, i) => pending(i)),
    currentExpId: null,
    log: { lines: [], dropped: 0, expId: null },
    gap: null,
    pauseRequested: false,
    notices: [],
    exitCode: null,
    leftRunning: [],
    ...patch,
  };
}

export const confirmState = (): CampaignState => baseState({ phase: 'confirm', startedAt: null });

/** Ten minutes in: five finished (one failed, one without energy), the sixth running on vllm; pytorch restarting. */
export function runState(patch: Partial<CampaignState> = {}): CampaignState {
  const now = T0 + 10 * MIN;
  const exps = Array.from({ length: 12 }, (_, i) => pending(i));
  exps[0] = done(exps[0]!, T0, 90_000, metrics(1234.5, 20_000, 80));
  exps[1] = done(exps[1]!, T0 + 2 * MIN, 60_000, metrics(800, 20_000, 50));
  exps[2] = {
    ...exps[2]!,
    status: 'failed',
    startedAt: T0 + 4 * MIN,
    finishedAt: T0 + 5 * MIN,
    durationMs: MIN,
    exitCode: 137,
    reason: 'killed (exit 137), out of memory?',
  };
  exps[3] = done(exps[3]!, T0 + 6 * MIN, 70_000, metrics(null, 20_000, 60, true));
  exps[4] = done(exps[4]!, T0 + 8 * MIN, 80_000, metrics(1300, 20_000, 85));
  exps[5] = { ...exps[5]!, status: 'running', startedAt: now - 30_000, lastOutputAt: now - 3_000 };
  const log = Array.from({ length: 40 }, (_, i) => `step ${i + 1}: prefill batch ${i % 8} tokens=${128 * (i + 1)}`);
  return baseState({
    now,
    experiments: exps,
    currentExpId: exps[5]!.expId,
    services: {
      pytorch: service('pytorch', { status: 'starting', restarts: 1, startedAt: now - 5_000, lastExitCode: 137, containerId: 'c1' }),
      vllm: service('vllm', { status: 'running', startedAt: T0, containerId: 'c2' }),
    },
    log: { lines: log, dropped: 0, expId: exps[5]!.expId },
    notices: [{ at: now - 60_000, level: 'warn', message: 'pytorch restarted after exit 137' }],
    ...patch,
  });
}

/** Between experiments: next one in 42 s. */
export function gapState(): CampaignState {
  const s = runState();
  const exps = s.experiments.map((e) =>
    e.status === 'running' ? done(e, e.startedAt!, 30_000, metrics(900, 20_000, 25)) : e,
  );
  return { ...s, experiments: exps, currentExpId: null, gap: { kind: 'experiment', startedAt: s.now - 18_000, endsAt: s.now + 42_000 } };
}

/** The running experiment has said nothing for 42 s. */
export function stuckState(): CampaignState {
  const s = runState();
  return {
    ...s,
    experiments: s.experiments.map((e) => (e.status === 'running' ? { ...e, lastOutputAt: s.now - 42_000, stuck: true } : e)),
  };
}

/** All done: one failed, one skipped, services left running (auto_teardown off). */
export function summaryState(patch: Partial<CampaignState> = {}): CampaignState {
  const now = T0 + 62 * MIN;
  const exps = Array.from({ length: 12 }, (_, i) => pending(i)).map((e, i) => {
    const energy = 1000 + 100 * (i % 4) + 10 * e.cycleIndex;
    return done(e, T0 + i * 5 * MIN, 60_000 + 1000 * i, metrics(i === 3 ? null : energy, 20_000, 50 + (i % 4), i === 3));
  });
  exps[2] = { ...exps[2]!, status: 'failed', exitCode: 137, reason: 'killed (exit 137), out of memory?', metrics: null };
  exps[9] = { ...exps[9]!, status: 'skipped', exitCode: null, reason: 'skipped by the user (s)', metrics: null };
  return baseState({
    phase: 'finished',
    now,
    finishedAt: now,
    experiments: exps,
    services: {
      pytorch: service('pytorch', { status: 'running', startedAt: T0 }),
      vllm: service('vllm', { status: 'running', startedAt: T0 }),
    },
    exitCode: 1,
    leftRunning: ['pytorch', 'vllm'],
    ...patch,
  });
}

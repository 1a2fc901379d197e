// Campaign states for the view tests, built the way the engine builds them:
// by dispatching actions through the reducer, with a fixed clock.
import { composeTarget } from '../../source/compose/flavour.js';
import { downArgv, upArgv } from '../../source/compose/argv.js';
import type { ExperimentMetrics } from '../../source/campaign/types.js';
import type { ContainerState } from '../../source/domain/containerState.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action, CampaignMeta, CampaignState, ExperimentView } from '../../source/state/types.js';

export const T0 = 1_700_000_000_000;
export const MIN = 60_000;
/** "Now" in the running scenes: ten minutes in. */
export const NOW = T0 + 10 * MIN;

/** The commands a persistent dispatcher builds for this campaign (the views show them as they are). */
export function persistentCommands(command = 'docker compose', files = ['docker-compose.yml', '.state/compose/lem-a1b2c3d4.override.yml']) {
  const target = composeTarget(command, 'lem-a1b2c3d4', files);
  const down = downArgv(target, 10);
  return { up: upArgv(target, ['pytorch', 'vllm']), down, stopHint: ['env', 'PUID=1000', 'PGID=1000', ...down] };
}

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
  commands: persistentCommands(),
};

const CONFIGS = [
  { name: 'pytorch_bs4', backend: 'pytorch' },
  { name: 'vllm_bs8', backend: 'vllm' },
  { name: 'pytorch_batch_size-8_fp_precision-float16', backend: 'pytorch' },
  { name: 'vllm_gpu_memory_utilization-0.45', backend: 'vllm' },
];

export function play(actions: Action[], from: CampaignState = initialCampaignState()): CampaignState {
  return actions.reduce(campaignReducer, from);
}

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

/** The planner's experiments: 4 configs × 3 cycles, interleaved, all pending. */
export function plannedExperiments(count = 12, names = CONFIGS): ExperimentView[] {
  return Array.from({ length: count }, (_, i) => {
    const cfg = names[i % names.length]!;
    return {
      expId: String(i + 1).padStart(4, '0'),
      index: i,
      cycleIndex: Math.floor(i / names.length),
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
  });
}

export const id = (i: number) => String(i + 1).padStart(4, '0');

export function service(at: number, name: string, patch: Partial<ContainerState> = {}): Action {
  return {
    type: 'service/state',
    at,
    state: {
      service: name,
      status: 'running',
      restarts: 0,
      startedAt: at,
      lastExitCode: null,
      containerId: `c-${name}`,
      message: null,
      ...patch,
    },
  };
}

export function planned(experiments = plannedExperiments(), m: CampaignMeta = meta): Action[] {
  return [{ type: 'campaign/planned', at: T0 - MIN, meta: m, experiments, services: ['pytorch', 'vllm'] }];
}

function started(): Action[] {
  return [
    ...planned(),
    { type: 'campaign/starting', at: T0, services: [] },
    service(T0, 'pytorch'),
    service(T0, 'vllm'),
    { type: 'campaign/started', at: T0 },
  ];
}

/** One experiment from start to finish. */
export function runOne(
  i: number,
  at: number,
  ms: number,
  how: { m?: ExperimentMetrics | null; status?: 'completed' | 'failed' | 'skipped'; exitCode?: number | null; reason?: string | null } = {},
): Action[] {
  const status = how.status ?? 'completed';
  return [
    { type: 'experiment/started', at, expId: id(i), attempt: 1 },
    { type: 'experiment/output', at: at + 1000, expId: id(i), lines: [`loading model for ${id(i)}`] },
    {
      type: 'experiment/finished',
      at: at + ms,
      expId: id(i),
      status,
      exitCode: how.exitCode ?? (status === 'completed' ? 0 : null),
      reason: how.reason ?? null,
      durationMs: ms,
      metrics: how.m === undefined ? null : how.m,
    },
  ];
}

export const confirmState = (): CampaignState => play([...planned(), { type: 'campaign/confirmRequired', at: T0 - MIN }]);

const LOG = Array.from({ length: 40 }, (_, i) => `step ${i + 1}: prefill batch ${i % 8} tokens=${128 * (i + 1)}`);

/** Five finished (one failed with 137, one without energy), pytorch restarting after the 137. */
function fiveDone(): Action[] {
  return [
    ...started(),
    ...runOne(0, T0, 90_000, { m: metrics(1234.5, 20_000, 80) }),
    ...runOne(1, T0 + 2 * MIN, 60_000, { m: metrics(800, 20_000, 50) }),
    ...runOne(2, T0 + 4 * MIN, MIN, { status: 'failed', exitCode: 137, reason: 'killed (exit 137), out of memory?' }),
    service(T0 + 5 * MIN, 'pytorch', { status: 'exited', lastExitCode: 137, startedAt: T0 }),
    ...runOne(3, T0 + 6 * MIN, 70_000, { m: metrics(null, 20_000, 60, true) }),
    ...runOne(4, T0 + 8 * MIN, 80_000, { m: metrics(1300, 20_000, 85) }),
    { type: 'notice', at: NOW - MIN, level: 'warn', message: 'pytorch restarted after exit 137' },
    service(NOW - 5000, 'pytorch', { status: 'starting', restarts: 1, lastExitCode: 137 }),
  ];
}

/** Ten minutes in: the sixth experiment (vllm_bs8, cycle 2) running on vllm for 30 s. */
export function runState(extra: Action[] = []): CampaignState {
  return play([
    ...fiveDone(),
    { type: 'experiment/started', at: NOW - 30_000, expId: id(5), attempt: 1 },
    { type: 'experiment/output', at: NOW - 3000, expId: id(5), lines: LOG },
    { type: 'tick', at: NOW },
    ...extra,
  ]);
}

/** Between experiments: the sixth took 30 s, the next one starts in 42 s. */
export function gapState(): CampaignState {
  return play([
    ...fiveDone(),
    { type: 'experiment/started', at: NOW - 48_000, expId: id(5), attempt: 1 },
    { type: 'experiment/output', at: NOW - 20_000, expId: id(5), lines: LOG },
    {
      type: 'experiment/finished',
      at: NOW - 18_000,
      expId: id(5),
      status: 'completed',
      exitCode: 0,
      reason: null,
      durationMs: 30_000,
      metrics: metrics(900, 20_000, 25),
    },
    { type: 'gap/started', at: NOW - 18_000, kind: 'experiment', endsAt: NOW + 42_000 },
    { type: 'tick', at: NOW },
  ]);
}

/** The running experiment has said nothing for 42 s. */
export function stuckState(): CampaignState {
  return play([
    ...fiveDone(),
    { type: 'experiment/started', at: NOW - 60_000, expId: id(5), attempt: 1 },
    { type: 'experiment/output', at: NOW - 42_000, expId: id(5), lines: LOG },
    { type: 'experiment/stuck', at: NOW, expId: id(5), silentForMs: 42_000 },
  ]);
}

/** Waiting to retry the sixth after a 137: attempt 2 in 8 s. */
export function retryState(): CampaignState {
  return runState([
    { type: 'experiment/retrying', at: NOW, expId: id(5), nextAttempt: 2, reason: 'killed (exit 137)', delayMs: 8000 },
  ]);
}

export const SUMMARY_NOW = T0 + 62 * MIN;

/** All done after 62 minutes: one failed, one skipped, services left running (auto_teardown off). */
export function summaryState(leftRunning: string[] = ['pytorch', 'vllm']): CampaignState {
  const actions: Action[] = [...started()];
  for (let i = 0; i < 12; i++) {
    const at = T0 + i * 5 * MIN;
    const energy = 1000 + 100 * (i % 4) + 10 * Math.floor(i / 4);
    if (i === 2) actions.push(...runOne(i, at, 61_000, { status: 'failed', exitCode: 137, reason: 'killed (exit 137), out of memory?' }));
    else if (i === 9) actions.push(...runOne(i, at, 5_000, { status: 'skipped', reason: 'skipped by the user (s)' }));
    else actions.push(...runOne(i, at, 60_000 + 1000 * i, { m: metrics(i === 3 ? null : energy, 20_000, 50 + (i % 4), i === 3) }));
  }
  actions.push({ type: 'campaign/finished', at: SUMMARY_NOW, exitCode: 1, leftRunning });
  return play(actions);
}

/** The first question takeManifest asks, as the caller dispatches it (before the plan is known). */
export const RESUME_QUESTION = 'An earlier run of this campaign exists (3/8 completed). Resume it?';
export const questionState = (defaultYes = true, text = RESUME_QUESTION): CampaignState =>
  play([{ type: 'question/asked', at: T0 - MIN, text, defaultYes }]);
/** A question asked once the plan is known, over the persistent-mode start screen. */
export const questionAfterPlanState = (): CampaignState =>
  play([
    { type: 'question/asked', at: T0 - 2 * MIN, text: 'Run the 2 failed experiments again?', defaultYes: true },
    ...planned(),
    { type: 'campaign/confirmRequired', at: T0 - MIN },
    { type: 'question/answered', at: T0 - MIN },
    {
      type: 'question/asked',
      at: T0 - MIN,
      text: 'The campaign file changed since the earlier run (its hash differs). Resume anyway?',
      defaultYes: false,
    },
  ]);

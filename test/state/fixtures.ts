// Small campaigns for the state and report tests, with a fixed clock.
import type { ExperimentMetrics } from '../../source/campaign/types.js';
import type { ContainerState } from '../../source/domain/containerState.js';
import type { Action, CampaignMeta, ExperimentView } from '../../source/state/types.js';

export const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
export const S = 1000;

export const meta: CampaignMeta = {
  campaignName: 'backend-comparison',
  campaignId: 'a1b2c3d4',
  strategy: 'persistent',
  dispatch: 'docker',
  dispatchReason: 'Docker: 2 backends',
  composeProject: 'lem-a1b2c3d4',
  cycles: 2,
  structure: 'interleaved',
  resultsDir: 'results',
  manifestPath: '.state/campaign_manifest.json',
  logDir: 'results',
  autoTeardown: false,
};

/** Configs A (pytorch) and B (vllm), interleaved over `cycles` cycles: 0001 A, 0002 B, 0003 A, ... */
export function experiments(cycles = 2): ExperimentView[] {
  const configs = [
    { name: 'pytorch_fp16', backend: 'pytorch' },
    { name: 'vllm_bs8', backend: 'vllm' },
  ];
  const out: ExperimentView[] = [];
  for (let c = 0; c < cycles; c++) {
    for (const cfg of configs) out.push(view(out.length, c, cfg.name, cfg.backend));
  }
  return out;
}

export function view(index: number, cycleIndex: number, configName: string, backend: string): ExperimentView {
  return {
    expId: String(index + 1).padStart(4, '0'),
    index,
    cycleIndex,
    configName,
    backend,
    service: backend,
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

export function metrics(energyJ: number | null, tokensPerSecond: number | null, joulesPerToken: number | null, patch: Partial<ExperimentMetrics> = {}): ExperimentMetrics {
  return {
    resultPath: 'results/aggregated/x.json',
    energyJ,
    totalTokens: 1000,
    inferenceTimeSec: 10,
    tokensPerSecond,
    joulesPerToken,
    tokensPerJoule: energyJ ? 1000 / energyJ : null,
    energyTrackingFailed: false,
    gpuName: 'A100',
    ...patch,
  };
}

export function service(name: string, patch: Partial<ContainerState> = {}): ContainerState {
  return { service: name, status: 'stopped', restarts: 0, startedAt: null, lastExitCode: null, containerId: null, message: null, ...patch };
}

export function planned(at = T0, views = experiments(), m: CampaignMeta = meta): Action {
  return { type: 'campaign/planned', at, meta: m, experiments: views, services: ['pytorch', 'vllm'] };
}

export function finished(
  expId: string,
  at: number,
  durationMs: number,
  status: 'completed' | 'failed' | 'skipped' = 'completed',
  m: ExperimentMetrics | null = null,
  reason: string | null = null,
  exitCode: number | null = status === 'completed' ? 0 : 1,
): Action {
  return { type: 'experiment/finished', at, expId, status, exitCode, reason, durationMs, metrics: m };
}

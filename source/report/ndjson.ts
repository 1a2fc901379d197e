// The NDJSON reporter (--json): one JSON object per line per meaningful
// action, for machines. Built only from the state and the action, so it holds
// nothing the state does not (no secrets).
//
// Every event has `v` (the format version, 1), `type` and `at` (ISO-8601 UTC).
// An experiment is identified by `expId`, with `index` (0-based execution
// order), `cycle` (1-based), `configName`, `backend`, `service`. Durations are
// in milliseconds; a value that was not measured is null, never 0.
//
//   campaign.started     the plan: campaignName, campaignId, strategy, dispatch,
//                        dispatchReason, composeProject, cycles, structure,
//                        resultsDir, manifestPath, logDir, gpus[] and slots
//                        (with --gpus), scheduler {kind, partition, gres,
//                        maxJobs, container} (with --dispatch slurm), services[],
//                        experiments[] {expId, index, cycle, configName, backend,
//                        service, status} (a resumed campaign has some completed)
//   campaign.phase       phase (confirm | starting | running | paused | stopping),
//                        pauseRequested, reason (stopping only)
//   cycle.started        cycle, cycles
//   experiment.started   the experiment, attempt, gpus[] (its GPU labels with
//                        --gpus, else null), slot (0-based; with --gpus only)
//   experiment.output    the experiment's id, lines[] (ANSI stripped); only with
//                        the includeOutput option
//   experiment.stuck     the experiment, silentForMs
//   experiment.retrying  the experiment, nextAttempt, reason, delayMs
//   experiment.finished  the experiment, status (completed | failed | skipped | interrupted),
//                        attempt, exitCode, reason, durationMs, metrics
//                        {resultPath, energyJ, totalTokens, inferenceTimeSec,
//                        tokensPerSecond, joulesPerToken, tokensPerJoule,
//                        energyTrackingFailed, gpuName, and the host-measured
//                        gpuEnergyJ, gpuMeanPowerW, gpuPeakPowerW,
//                        gpuPeakMemoryMiB, gpuMaxTemperatureC, gpuThrottled,
//                        gpuIndices (null when not measured),
//                        gpuEnergyMissing (why gpuEnergyJ is null, when
//                        telemetry ran but could not measure it)} or null,
//                        failureTail[] (failed only)
//   gpu.status           status (starting | running | unavailable), reason
//   gpu.sample           at most once a second: gpus[] {index, uuid, name,
//                        powerW, memoryUsedMiB, memoryTotalMiB, utilizationPct,
//                        temperatureC, throttled}
//   service.state        service, status, restarts, startedAt, lastExitCode,
//                        restartedBy (why lem-tui ended it, else null),
//                        containerId, message (only when one of them changed)
//   job.state            --dispatch slurm: jobId, name, expId, state (Slurm's:
//                        PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT...),
//                        reason (null for none), node, gpus, elapsedS (only
//                        when state, reason, node or gpus changed)
//   gap.started          kind (experiment | cycle), durationMs, endsAt, slot
//                        (with --gpus only: each slot has its own gaps)
//   notice               level (info | warn | error), message
//   campaign.finished    exitCode, durationMs, completed, failed, skipped,
//                        interrupted, total, summary[] {configName, backend, n,
//                        failed, skipped, interrupted,
//                        energyJ, tokensPerSecond, joulesPerToken (each
//                        {n, mean, spread} or null), energyCi95 {low, high} or
//                        null, energyTrackingFailed}, failures[] {expId,
//                        configName, cycle, status, exitCode, reason},
//                        resultsDir, manifestPath, logDir, leftRunning[]
//
// Example:
//   {"v":1,"type":"experiment.finished","at":"2026-11-28T10:03:05.000Z","expId":"0003",...}
import type { ContainerState } from '../domain/containerState.js';
import type { SlurmJob } from '../domain/slurmJob.js';
import { cleanLine } from '../state/ansi.js';
import { selectNotOk } from '../state/notOk.js';
import { selectConfigSummaries, selectElapsed, selectProgress } from '../state/selectors.js';
import type { Listener } from '../state/store.js';
import { jobNews } from './jobNews.js';
import type { Action, CampaignState, ExperimentView } from '../state/types.js';

export const NDJSON_VERSION = 1;

export interface NdjsonReporterOptions {
  /** Emit experiment.output events with the output lines (off by default: they can be many). */
  includeOutput?: boolean;
}

type Emit = (type: string, fields: Record<string, unknown>) => void;
type CampaignAction = Extract<Action, { type: `campaign/${string}` }>;
type ExperimentAction = Extract<Action, { type: `experiment/${string}` }>;

/** What the reporter remembers between actions: to announce each new cycle once, and a service only when it changed. */
interface Memory {
  lastCycle: number | null;
  seenServices: Map<string, string>;
  /** What was last written per job the state keeps (state, reason, node, gpus). */
  seenJobs: Map<string, string>;
  /** Time of the last gpu.sample written: at most one a second. */
  lastGpuSampleAt: number | null;
}

const GPU_SAMPLE_EVERY_MS = 1000;

export function createNdjsonReporter(write: (line: string) => void, options: NdjsonReporterOptions = {}): Listener {
  const memory: Memory = { lastCycle: null, seenServices: new Map(), seenJobs: new Map(), lastGpuSampleAt: null };

  return (action, state) => {
    const emit: Emit = (type, fields) => write(JSON.stringify({ v: NDJSON_VERSION, type, at: iso(action.at), ...fields }));
    if (isCampaignAction(action)) return campaignEvent(action, state, emit, memory);
    if (isExperimentAction(action)) return experimentEvent(action, state, emit, memory, options.includeOutput ?? false);
    switch (action.type) {
      case 'service/state':
        return serviceEvent(action.state, state.ourRestarts[action.state.service]?.lastExit ?? null, emit, memory);
      case 'job/state':
        return jobEvent(action.job, state, emit, memory);
      case 'gap/started':
        return emit('gap.started', {
          kind: action.kind,
          durationMs: action.endsAt - action.at,
          endsAt: iso(action.endsAt),
          ...(action.slot !== undefined ? { slot: action.slot } : {}),
        });
      case 'notice':
        return emit('notice', { level: action.level, message: action.message });
      case 'gpu/status':
        return emit('gpu.status', { status: action.status, reason: action.reason });
      case 'gpu/sample':
        if (memory.lastGpuSampleAt !== null && action.sample.at - memory.lastGpuSampleAt < GPU_SAMPLE_EVERY_MS) return;
        memory.lastGpuSampleAt = action.sample.at;
        return emit('gpu.sample', { gpus: action.sample.gpus });
      case 'gap/ended':
      case 'gap/cooling':
      case 'tick':
        return;
    }
  };
}

function isCampaignAction(action: Action): action is CampaignAction {
  return action.type.startsWith('campaign/');
}

function isExperimentAction(action: Action): action is ExperimentAction {
  return action.type.startsWith('experiment/');
}

function campaignEvent(action: CampaignAction, state: CampaignState, emit: Emit, memory: Memory): void {
  switch (action.type) {
    case 'campaign/planned':
      memory.lastCycle = null;
      memory.seenServices.clear();
      memory.seenJobs.clear();
      return emit('campaign.started', campaignFields(state));
    case 'campaign/confirmRequired':
    case 'campaign/starting':
    case 'campaign/started':
    case 'campaign/pauseRequested':
    case 'campaign/paused':
    case 'campaign/resumed':
      return emit('campaign.phase', { phase: state.phase, pauseRequested: state.pauseRequested });
    case 'campaign/stopping':
      return emit('campaign.phase', { phase: state.phase, pauseRequested: state.pauseRequested, reason: action.reason });
    case 'campaign/finished':
      return emit('campaign.finished', finishedFields(state, action.exitCode));
  }
}

function serviceEvent(s: ContainerState, restartedBy: string | null, emit: Emit, memory: Memory): void {
  const fields = {
    service: s.service,
    status: s.status,
    restarts: s.restarts,
    startedAt: s.startedAt === null ? null : iso(s.startedAt),
    lastExitCode: s.lastExitCode,
    restartedBy,
    containerId: s.containerId,
    message: s.message,
  };
  const key = JSON.stringify(fields);
  if (memory.seenServices.get(s.service) === key) return;
  memory.seenServices.set(s.service, key);
  emit('service.state', fields);
}

/** A job as Slurm reports it, when its state, reason, node or GPUs changed (not its time alone); not for a job the state no longer keeps. */
function jobEvent(job: SlurmJob, state: CampaignState, emit: Emit, memory: Memory): void {
  if (jobNews(memory.seenJobs, job, state, JSON.stringify([job.state, job.reason, job.node, job.gpus])) === null) return;
  emit('job.state', {
    jobId: job.jobId,
    name: job.name,
    expId: job.expId,
    state: job.state,
    reason: job.reason,
    node: job.node,
    gpus: job.gpus,
    elapsedS: job.elapsedS,
  });
}

function experimentEvent(action: ExperimentAction, state: CampaignState, emit: Emit, memory: Memory, includeOutput: boolean): void {
  const exp = state.experiments.find((e) => e.expId === action.expId);
  const who = exp ? experimentFields(exp) : { expId: action.expId };
  switch (action.type) {
    case 'experiment/started':
      if (exp && exp.cycleIndex !== memory.lastCycle) {
        memory.lastCycle = exp.cycleIndex;
        emit('cycle.started', { cycle: exp.cycleIndex + 1, cycles: state.meta?.cycles ?? null });
      }
      return emit('experiment.started', {
        ...who,
        attempt: action.attempt,
        gpus: action.gpus ?? null,
        ...(action.slot !== undefined ? { slot: action.slot } : {}),
      });
    case 'experiment/output':
      if (!includeOutput) return;
      return emit('experiment.output', { expId: action.expId, lines: action.lines.map(cleanLine) });
    case 'experiment/stuck':
      return emit('experiment.stuck', { ...who, silentForMs: action.silentForMs });
    case 'experiment/retrying':
      return emit('experiment.retrying', {
        ...who,
        nextAttempt: action.nextAttempt,
        reason: action.reason,
        delayMs: action.delayMs,
      });
    case 'experiment/finished':
      return emit('experiment.finished', {
        ...who,
        status: action.status,
        attempt: exp?.attempt ?? null,
        exitCode: action.exitCode,
        reason: action.reason,
        durationMs: action.durationMs,
        metrics: finishedMetrics(action),
        ...(action.status === 'failed' ? { failureTail: exp?.failureTail ?? [] } : {}),
      });
  }
}

/** The harness's figures and the host's side by side; null when neither was measured. */
function finishedMetrics(action: Extract<Action, { type: 'experiment/finished' }>) {
  const gpu = action.gpu ?? null;
  if (!action.metrics && !gpu) return null;
  return {
    ...(action.metrics ?? {}),
    gpuEnergyJ: gpu?.gpuEnergyJ ?? null,
    gpuMeanPowerW: gpu?.gpuMeanPowerW ?? null,
    gpuPeakPowerW: gpu?.gpuPeakPowerW ?? null,
    gpuPeakMemoryMiB: gpu?.gpuPeakMemoryMiB ?? null,
    gpuMaxTemperatureC: gpu?.gpuMaxTemperatureC ?? null,
    gpuThrottled: gpu?.gpuThrottled ?? null,
    gpuIndices: gpu?.gpuIndices ?? null,
    gpuEnergyMissing: gpu?.gpuEnergyMissing ?? null,
  };
}

function experimentFields(e: ExperimentView) {
  return {
    expId: e.expId,
    index: e.index,
    cycle: e.cycleIndex + 1,
    configName: e.configName,
    backend: e.backend,
    service: e.service,
  };
}

function campaignFields(state: CampaignState) {
  return {
    ...(state.meta ?? {}),
    services: state.serviceOrder,
    experiments: state.experiments.map((e) => ({ ...experimentFields(e), status: e.status })),
  };
}

function finishedFields(state: CampaignState, exitCode: number) {
  const { completed, failed, skipped, interrupted, total } = selectProgress(state);
  return {
    exitCode,
    durationMs: selectElapsed(state),
    completed,
    failed,
    skipped,
    interrupted,
    total,
    summary: selectConfigSummaries(state),
    failures: selectNotOk(state).map((e) => ({ expId: e.expId, configName: e.configName, cycle: e.cycleIndex + 1, status: e.status, exitCode: e.exitCode, reason: e.reason })),
    resultsDir: state.meta?.resultsDir ?? null,
    manifestPath: state.meta?.manifestPath ?? null,
    logDir: state.meta?.logDir ?? null,
    leftRunning: state.leftRunning,
  };
}

/** Zoned ISO-8601; null for a time that is not a number (never throws). */
function iso(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}

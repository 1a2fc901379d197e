// The NDJSON reporter (--json): one JSON object per line per meaningful
// action, for machines. Built only from the state and the action, so it holds
// nothing the state does not (no secrets). Which actions are news (and when a
// service or job changed) is actionNews.ts's, shared with the plain reporter.
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
import { createActionNews, type News } from './actionNews.js';
import type { Action, CampaignState, ExperimentView } from '../state/types.js';

export const NDJSON_VERSION = 1;

export interface NdjsonReporterOptions {
  /** Emit experiment.output events with the output lines (off by default: they can be many). */
  includeOutput?: boolean;
}

type Emit = (type: string, fields: Record<string, unknown>) => void;
type NewsOf<K extends News['kind']> = Extract<News, { kind: K }>;

const GPU_SAMPLE_EVERY_MS = 1000;

export function createNdjsonReporter(write: (line: string) => void, options: NdjsonReporterOptions = {}): Listener {
  const newsOf = createActionNews({ service: (s, state) => JSON.stringify(serviceFields(s, state)), job: jobKey, plannedServicesShown: false });
  /** Time of the last gpu.sample written: at most one a second. */
  let lastGpuSampleAt: number | null = null;

  return (action, state) => {
    const news = newsOf(action, state);
    if (news === null) return;
    const emit: Emit = (type, fields) => write(JSON.stringify({ v: NDJSON_VERSION, type, at: iso(action.at), ...fields }));
    switch (news.kind) {
      case 'planned':
        return emit('campaign.started', campaignFields(state));
      case 'confirmRequired':
      case 'starting':
      case 'started':
      case 'pauseRequested':
      case 'paused':
      case 'resumed':
        return emit('campaign.phase', { phase: state.phase, pauseRequested: state.pauseRequested });
      case 'stopping':
        return emit('campaign.phase', { phase: state.phase, pauseRequested: state.pauseRequested, reason: news.reason });
      case 'finished':
        return emit('campaign.finished', finishedFields(state, news.exitCode));
      case 'service':
        return emit('service.state', serviceFields(news.service, state));
      case 'job':
        return emit('job.state', jobFields(news.job));
      case 'gapStarted': {
        const { action: gap } = news;
        return emit('gap.started', { kind: gap.kind, durationMs: gap.endsAt - gap.at, endsAt: iso(gap.endsAt), ...(gap.slot !== undefined ? { slot: gap.slot } : {}) });
      }
      case 'notice':
        return emit('notice', { level: news.action.level, message: news.action.message });
      case 'gpuStatus':
        return emit('gpu.status', { status: news.action.status, reason: news.action.reason });
      case 'gpuSample': {
        const { sample } = news.action;
        if (lastGpuSampleAt !== null && sample.at - lastGpuSampleAt < GPU_SAMPLE_EVERY_MS) return;
        lastGpuSampleAt = sample.at;
        return emit('gpu.sample', { gpus: sample.gpus });
      }
      case 'experimentOutput':
        if (!(options.includeOutput ?? false)) return;
        return emit('experiment.output', { expId: news.action.expId, lines: news.action.lines.map(cleanLine) });
      default:
        return experimentEvent(news, state, emit);
    }
  };
}

/** restartedBy: why lem-tui itself ended the service's last container (ourRestarts), else null. */
function serviceFields(s: ContainerState, state: CampaignState) {
  return {
    service: s.service,
    status: s.status,
    restarts: s.restarts,
    startedAt: s.startedAt === null ? null : iso(s.startedAt),
    lastExitCode: s.lastExitCode,
    restartedBy: state.ourRestarts[s.service]?.lastExit ?? null,
    containerId: s.containerId,
    message: s.message,
  };
}

/** What job.state says of a job but its time: an event only when this changes (time alone is no news). */
function jobKey(job: SlurmJob): string {
  return JSON.stringify([job.state, job.reason, job.node, job.gpus]);
}

function jobFields(job: SlurmJob) {
  return {
    jobId: job.jobId,
    name: job.name,
    expId: job.expId,
    state: job.state,
    reason: job.reason,
    node: job.node,
    gpus: job.gpus,
    elapsedS: job.elapsedS,
  };
}

function experimentEvent(news: NewsOf<'experimentStarted' | 'experimentStuck' | 'experimentRetrying' | 'experimentFinished'>, state: CampaignState, emit: Emit): void {
  const { exp } = news;
  const who = exp ? experimentFields(exp) : { expId: news.action.expId };
  switch (news.kind) {
    case 'experimentStarted': {
      const { action } = news;
      if (news.newCycle && exp) emit('cycle.started', { cycle: exp.cycleIndex + 1, cycles: state.meta?.cycles ?? null });
      return emit('experiment.started', {
        ...who,
        attempt: action.attempt,
        gpus: action.gpus ?? null,
        ...(action.slot !== undefined ? { slot: action.slot } : {}),
      });
    }
    case 'experimentStuck':
      return emit('experiment.stuck', { ...who, silentForMs: news.action.silentForMs });
    case 'experimentRetrying':
      return emit('experiment.retrying', {
        ...who,
        nextAttempt: news.action.nextAttempt,
        reason: news.action.reason,
        delayMs: news.action.delayMs,
      });
    case 'experimentFinished': {
      const { action } = news;
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

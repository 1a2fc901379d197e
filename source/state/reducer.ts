// The only place that decides what the campaign state becomes. Pure: no I/O,
// no clock (time is `action.at`), and every update is a copy.
import type { ContainerState } from '../domain/containerState.js';
import { formatDuration } from './format.js';
import { emptyLog, pushClean, pushRaw, tail } from './logRing.js';
import {
  FAILURE_TAIL,
  LOG_RING_SIZE,
  NOTICE_LIMIT,
  type Action,
  type CampaignState,
  type ExperimentView,
  type Notice,
} from './types.js';

export function initialCampaignState(): CampaignState {
  return {
    meta: null,
    phase: 'starting',
    startedAt: null,
    finishedAt: null,
    now: 0,
    services: {},
    serviceOrder: [],
    experiments: [],
    currentExpId: null,
    log: emptyLog(),
    gap: null,
    pauseRequested: false,
    notices: [],
    exitCode: null,
    leftRunning: [],
    stopReason: null,
  };
}

export function campaignReducer(previous: CampaignState, action: Action): CampaignState {
  const state = { ...previous, now: Math.max(previous.now, action.at) };
  switch (action.type) {
    case 'campaign/planned':
      return {
        ...initialCampaignState(),
        now: state.now,
        notices: state.notices,
        meta: action.meta,
        experiments: action.experiments.slice(),
        serviceOrder: unique(action.services),
        services: Object.fromEntries(action.services.map((s) => [s, state.services[s] ?? stoppedService(s)])),
      };
    case 'campaign/confirmRequired':
      return { ...state, phase: 'confirm' };
    case 'campaign/starting':
      // Elapsed time counts from here: waiting for a confirmation is not the campaign's time.
      return { ...state, phase: 'starting', startedAt: state.startedAt ?? action.at };
    case 'campaign/started':
      return { ...state, phase: 'running', startedAt: state.startedAt ?? action.at };
    case 'campaign/pauseRequested':
      return { ...state, pauseRequested: action.paused };
    case 'campaign/paused':
      return { ...state, phase: 'paused' };
    case 'campaign/resumed':
      return { ...state, phase: 'running', pauseRequested: false };
    case 'campaign/stopping':
      return { ...state, phase: 'stopping', stopReason: action.reason };
    case 'campaign/finished':
      return {
        ...state,
        experiments: state.experiments.map((e) => (e.status === 'running' ? interrupted(e, action.at) : e)),
        phase: 'finished',
        finishedAt: action.at,
        exitCode: action.exitCode,
        leftRunning: action.leftRunning.slice(),
        currentExpId: null,
        gap: null,
      };
    case 'service/state':
      return {
        ...state,
        services: { ...state.services, [action.state.service]: action.state },
        serviceOrder: state.serviceOrder.includes(action.state.service)
          ? state.serviceOrder
          : [...state.serviceOrder, action.state.service],
      };
    case 'experiment/started':
      return experimentStarted(state, action);
    case 'experiment/output': {
      const log = state.log.expId === action.expId ? state.log : emptyLog(action.expId);
      return {
        ...updateExperiment(state, action.expId, () => ({ lastOutputAt: action.at, stuck: false })),
        log: pushRaw(log, action.lines, LOG_RING_SIZE, action.dropped ?? 0),
      };
    }
    case 'experiment/stuck':
      return updateExperiment(state, action.expId, () => ({ stuck: true }));
    case 'experiment/finished': {
      const keepTail = action.status === 'failed' && state.log.expId === action.expId;
      const next = updateExperiment(state, action.expId, () => ({
        status: action.status,
        finishedAt: action.at,
        durationMs: action.durationMs,
        exitCode: action.exitCode,
        reason: action.reason,
        metrics: action.metrics,
        stuck: false,
        retryAt: null,
        failureTail: keepTail ? tail(state.log, FAILURE_TAIL) : [],
      }));
      return { ...next, currentExpId: state.currentExpId === action.expId ? null : state.currentExpId };
    }
    case 'experiment/retrying': {
      const next = updateExperiment(state, action.expId, () => ({
        status: 'pending',
        attempt: action.nextAttempt,
        reason: action.reason,
        stuck: false,
        retryAt: action.at + action.delayMs,
      }));
      const e = findExperiment(state, action.expId);
      const who = e ? `${e.configName} (${action.expId})` : action.expId;
      const wait = action.delayMs > 0 ? ` in ${formatDuration(action.delayMs)}` : '';
      return addNotice(next, {
        at: action.at,
        level: 'warn',
        message: `${who}: ${action.reason}; retrying${wait} (attempt ${action.nextAttempt})`,
      });
    }
    case 'gap/started':
      return { ...state, gap: { kind: action.kind, startedAt: action.at, endsAt: action.endsAt } };
    case 'gap/ended':
      return { ...state, gap: null };
    case 'notice':
      return addNotice(state, { at: action.at, level: action.level, message: action.message });
    case 'tick':
    case 'question/asked': // the question screen's state: see the ui branch
    case 'question/answered':
      return state;
    default:
      return assertNever(action, previous);
  }
}

function experimentStarted(state: CampaignState, action: Extract<Action, { type: 'experiment/started' }>): CampaignState {
  const before = findExperiment(state, action.expId);
  let log = state.log.expId === action.expId ? state.log : emptyLog(action.expId);
  if (action.attempt > 1) {
    // A retry or a restart: the new attempt's output follows a visible separator.
    const why = before?.reason ? ` · after: ${before.reason}` : '';
    log = pushClean(log, [`── attempt ${action.attempt}${why} ──`], LOG_RING_SIZE);
  }
  const next = updateExperiment(state, action.expId, () => ({
    status: 'running',
    attempt: action.attempt,
    startedAt: action.at, // this attempt's start
    finishedAt: null,
    durationMs: null,
    exitCode: null,
    reason: null,
    metrics: null,
    lastOutputAt: null,
    stuck: false,
    retryAt: null,
    failureTail: [],
  }));
  return { ...next, currentExpId: action.expId, gap: null, log };
}

/** An experiment the engine never reported the end of: it runs again on --resume, as the engine records it. */
function interrupted(e: ExperimentView, at: number): ExperimentView {
  return {
    ...e,
    status: 'skipped',
    reason: 'interrupted: runs again on --resume',
    finishedAt: at,
    durationMs: e.startedAt === null ? null : Math.max(0, at - e.startedAt),
    stuck: false,
  };
}

function findExperiment(state: CampaignState, expId: string): ExperimentView | undefined {
  return state.experiments.find((e) => e.expId === expId);
}

/** Copies the experiments array with one experiment patched; unknown ids change nothing. */
function updateExperiment(
  state: CampaignState,
  expId: string,
  patch: (e: ExperimentView) => Partial<ExperimentView>,
): CampaignState {
  const i = state.experiments.findIndex((e) => e.expId === expId);
  if (i < 0) return state;
  const experiments = state.experiments.slice();
  const current = experiments[i]!;
  experiments[i] = { ...current, ...patch(current) };
  return { ...state, experiments };
}

function addNotice(state: CampaignState, notice: Notice): CampaignState {
  const notices = [...state.notices, notice];
  return { ...state, notices: notices.length > NOTICE_LIMIT ? notices.slice(-NOTICE_LIMIT) : notices };
}

function stoppedService(service: string): ContainerState {
  return { service, status: 'stopped', restarts: 0, startedAt: null, lastExitCode: null, containerId: null, message: null };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** A new action type without a case fails the type check here; at run time it changes nothing. */
function assertNever(_action: never, state: CampaignState): CampaignState {
  return state;
}

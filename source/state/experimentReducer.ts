// How an experiment's actions change the state: its attempts, output, stuck
// marker, end and retries. Pure, like the reducer that calls it.
import { formatDuration } from './format.js';
import { pushClean, pushRaw, tail } from './logRing.js';
import { ringOf, slotOf, startRunning, stopRunning, withOutput, withoutGap } from './running.js';
import { addNotice } from './notices.js';
import { FAILURE_TAIL, LOG_RING_SIZE, type Action, type CampaignState, type ExperimentView } from './types.js';

export type ExperimentAction = Extract<Action, { type: `experiment/${string}` }>;

/** An experiment's attempts: started, its output, stuck, finished, retried. */
export function reduceExperiment(state: CampaignState, action: ExperimentAction): CampaignState {
  switch (action.type) {
    case 'experiment/started':
      return experimentStarted(state, action);
    case 'experiment/output':
      return experimentOutput(state, action);
    case 'experiment/stuck':
      return updateExperiment(state, action.expId, () => ({ stuck: true }));
    case 'experiment/finished':
      return experimentFinished(state, action);
    case 'experiment/retrying':
      return experimentRetrying(state, action);
    default:
      return assertNever(action, state);
  }
}

function experimentStarted(state: CampaignState, action: Extract<Action, { type: 'experiment/started' }>): CampaignState {
  const before = findExperiment(state, action.expId);
  let log = ringOf(state, action.expId);
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
    gpu: null,
    lastOutputAt: null,
    stuck: false,
    retryAt: null,
    failureTail: [],
    ...(action.gpus !== undefined ? { gpus: action.gpus } : {}),
    ...(action.service !== undefined ? { runsOn: action.service } : {}),
  }));
  // Its slot's gap is over; other slots may still wait.
  return { ...next, ...startRunning(next, action.expId, log), ...withoutGap(next, slotOf(action.slot)) };
}

function experimentOutput(state: CampaignState, action: Extract<Action, { type: 'experiment/output' }>): CampaignState {
  const log = pushRaw(ringOf(state, action.expId), action.lines, LOG_RING_SIZE, action.dropped ?? 0);
  return {
    ...updateExperiment(state, action.expId, () => ({ lastOutputAt: action.at, stuck: false })),
    ...withOutput(state, action.expId, log),
  };
}

function experimentFinished(state: CampaignState, action: Extract<Action, { type: 'experiment/finished' }>): CampaignState {
  const ring = state.logs[action.expId] ?? (state.log.expId === action.expId ? state.log : null);
  const keepTail = action.status === 'failed' && ring !== null;
  const next = updateExperiment(state, action.expId, () => ({
    status: action.status,
    finishedAt: action.at,
    durationMs: action.durationMs,
    exitCode: action.exitCode,
    reason: action.reason,
    metrics: action.metrics,
    gpu: action.gpu ?? null,
    stuck: false,
    retryAt: null,
    failureTail: keepTail ? tail(ring, FAILURE_TAIL) : [],
  }));
  return { ...next, ...stopRunning(next, action.expId, 'clear') };
}

function experimentRetrying(state: CampaignState, action: Extract<Action, { type: 'experiment/retrying' }>): CampaignState {
  const next = updateExperiment(state, action.expId, () => ({
    status: 'pending',
    attempt: action.nextAttempt,
    reason: action.reason,
    stuck: false,
    retryAt: action.at + action.delayMs,
  }));
  const stopped = { ...next, ...stopRunning(next, action.expId, 'keep') };
  const e = findExperiment(state, action.expId);
  const who = e ? `${e.configName} (${action.expId})` : action.expId;
  const wait = action.delayMs > 0 ? ` in ${formatDuration(action.delayMs)}` : '';
  return addNotice(stopped, {
    at: action.at,
    level: 'warn',
    message: `${who}: ${action.reason}; retrying${wait} (attempt ${action.nextAttempt})`,
  });
}

/** An experiment the engine never reported the end of: it runs again on --resume, as the engine records it. */
export function interrupted(e: ExperimentView, at: number): ExperimentView {
  return {
    ...e,
    status: 'interrupted',
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

/** A new experiment action without a case fails the type check here; at run time it changes nothing. */
function assertNever(_action: never, state: CampaignState): CampaignState {
  return state;
}

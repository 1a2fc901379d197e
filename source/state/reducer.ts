// The only place that decides what the campaign state becomes. Pure: no I/O,
// no clock (time is `action.at`), and every update is a copy.
import type { ContainerState } from '../domain/containerState.js';
import { interrupted, reduceExperiment } from './experimentReducer.js';
import { initialGpuTelemetry, reduceGpu } from './gpuReducer.js';
import { reduceJob } from './jobReducer.js';
import { emptyLog } from './logRing.js';
import { firstGap, slotOf, withoutGap } from './running.js';
import { addNotice } from './notices.js';
import { afterServiceState, restarting } from './ourRestarts.js';
import type { Action, CampaignState } from './types.js';

export function initialCampaignState(): CampaignState {
  return {
    meta: null,
    question: null,
    phase: 'starting',
    startedAt: null,
    finishedAt: null,
    now: 0,
    services: {},
    serviceOrder: [],
    ourRestarts: {},
    experiments: [],
    currentExpId: null,
    log: emptyLog(),
    running: [],
    logs: {},
    gap: null,
    gaps: {},
    pauseRequested: false,
    notices: [],
    exitCode: null,
    leftRunning: [],
    gpuTelemetry: initialGpuTelemetry(),
    stopReason: null,
    jobs: {},
    jobOrder: [],
  };
}

type CampaignAction = Extract<Action, { type: `campaign/${string}` }>;
type GapAction = Extract<Action, { type: `gap/${string}` }>;
type QuestionAction = Extract<Action, { type: `question/${string}` }>;

export function campaignReducer(previous: CampaignState, action: Action): CampaignState {
  const state = { ...previous, now: Math.max(previous.now, action.at) };
  switch (action.type) {
    case 'campaign/planned':
    case 'campaign/confirmRequired':
    case 'campaign/starting':
    case 'campaign/started':
    case 'campaign/pauseRequested':
    case 'campaign/paused':
    case 'campaign/resumed':
    case 'campaign/stopping':
    case 'campaign/finished':
      return reduceCampaign(state, action);
    case 'service/state':
      return serviceState(state, action);
    case 'service/restarting':
      return restarting(state, action.service, action.why, action.at);
    case 'job/state':
      return reduceJob(state, action.job);
    case 'experiment/started':
    case 'experiment/output':
    case 'experiment/stuck':
    case 'experiment/finished':
    case 'experiment/retrying':
      return reduceExperiment(state, action);
    case 'gpu/status':
    case 'gpu/sample':
      return reduceGpu(state, action);
    case 'gap/started':
    case 'gap/ended':
    case 'gap/cooling':
      return reduceGap(state, action);
    case 'question/asked':
    case 'question/answered':
      return reduceQuestion(state, action);
    case 'notice':
      return addNotice(state, { at: action.at, level: action.level, message: action.message });
    case 'tick':
      return state;
    default:
      return assertNever(action, previous);
  }
}

/** The campaign's phases, from the plan to the end. */
function reduceCampaign(state: CampaignState, action: CampaignAction): CampaignState {
  switch (action.type) {
    case 'campaign/planned':
      return planned(state, action);
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
      return campaignFinished(state, action);
    default:
      return assertNever(action, state);
  }
}

function planned(state: CampaignState, action: Extract<Action, { type: 'campaign/planned' }>): CampaignState {
  return {
    ...initialCampaignState(),
    now: state.now,
    notices: state.notices,
    // A question may be asked before the plan is known: a plan arriving meanwhile keeps it.
    question: state.question,
    meta: action.meta,
    experiments: action.experiments.slice(),
    serviceOrder: unique(action.services),
    services: Object.fromEntries(action.services.map((s) => [s, state.services[s] ?? stoppedService(s)])),
  };
}

function campaignFinished(state: CampaignState, action: Extract<Action, { type: 'campaign/finished' }>): CampaignState {
  return {
    ...state,
    experiments: state.experiments.map((e) => (e.status === 'running' ? interrupted(e, action.at) : e)),
    phase: 'finished',
    finishedAt: action.at,
    exitCode: action.exitCode,
    leftRunning: action.leftRunning.slice(),
    currentExpId: null,
    running: [],
    logs: {},
    gap: null,
    gaps: {},
  };
}

function serviceState(state: CampaignState, action: Extract<Action, { type: 'service/state' }>): CampaignState {
  return {
    ...state,
    services: { ...state.services, [action.state.service]: action.state },
    ourRestarts: afterServiceState(state, state.services[action.state.service], action.state, action.at),
    serviceOrder: state.serviceOrder.includes(action.state.service)
      ? state.serviceOrder
      : [...state.serviceOrder, action.state.service],
  };
}

function reduceGap(state: CampaignState, action: GapAction): CampaignState {
  const slot = slotOf(action.slot);
  switch (action.type) {
    case 'gap/started': {
      const gaps = { ...state.gaps, [slot]: { kind: action.kind, startedAt: action.at, endsAt: action.endsAt } };
      return { ...state, gaps, gap: firstGap(gaps) };
    }
    case 'gap/ended':
      return { ...state, ...withoutGap(state, slot) };
    case 'gap/cooling': {
      const gap = state.gaps[slot];
      if (!gap) return state;
      const gaps = { ...state.gaps, [slot]: { ...gap, coolingFor: action.waitingFor } };
      return { ...state, gaps, gap: firstGap(gaps) };
    }
    default:
      return assertNever(action, state);
  }
}

/** One question at a time: a new one replaces one still open. */
function reduceQuestion(state: CampaignState, action: QuestionAction): CampaignState {
  switch (action.type) {
    case 'question/asked':
      return { ...state, question: { text: action.text, defaultYes: action.defaultYes } };
    case 'question/answered':
      return { ...state, question: null };
    default:
      return assertNever(action, state);
  }
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

// What an action is news of, for the line-by-line reporters (plain, NDJSON):
// the one switch over every action type, so a new action is classified here
// once and each reporter only words the news. "News" also means not the same
// again: each new cycle once, a service or a Slurm job only when what the
// reporter shows of it changed (its own keys; the memory is kept here and
// holds no more services and jobs than the state does). Pure but for that
// memory: no I/O, no clock (time is in the action).
import type { ContainerState } from '../domain/containerState.js';
import type { SlurmJob } from '../domain/slurmJob.js';
import type { Action, CampaignState, ExperimentView } from '../state/types.js';
import { jobNews } from './jobNews.js';

type ActionOf<T extends Action['type']> = Extract<Action, { type: T }>;

/** An experiment's action with the experiment as the state now holds it (null: not in the plan). */
interface ExperimentNews<T extends Action['type']> {
  action: ActionOf<T>;
  exp: ExperimentView | null;
}

export type News =
  | { kind: 'planned' }
  | { kind: 'confirmRequired' }
  | { kind: 'starting'; services: string[] }
  | { kind: 'started' }
  | { kind: 'pauseRequested'; paused: boolean }
  | { kind: 'paused' }
  | { kind: 'resumed' }
  | { kind: 'stopping'; reason: string }
  | { kind: 'finished'; exitCode: number }
  /** `newCycle`: its cycle is not the one the last start was in (said once per cycle). */
  | ({ kind: 'experimentStarted'; newCycle: boolean } & ExperimentNews<'experiment/started'>)
  | { kind: 'experimentOutput'; action: ActionOf<'experiment/output'> }
  | ({ kind: 'experimentStuck' } & ExperimentNews<'experiment/stuck'>)
  | ({ kind: 'experimentRetrying' } & ExperimentNews<'experiment/retrying'>)
  | ({ kind: 'experimentFinished' } & ExperimentNews<'experiment/finished'>)
  /** A service whose key changed. */
  | { kind: 'service'; service: ContainerState }
  /** A Slurm job whose key changed; `first`: the reporter has not shown it before. */
  | { kind: 'job'; job: SlurmJob; first: boolean }
  | { kind: 'gapStarted'; action: ActionOf<'gap/started'> }
  | { kind: 'notice'; action: ActionOf<'notice'> }
  | { kind: 'gpuStatus'; action: ActionOf<'gpu/status'> }
  | { kind: 'gpuSample'; action: ActionOf<'gpu/sample'> };

/** What a reporter shows of a service and of a job: the same key again is no news. */
export interface NewsKeys {
  service: (s: ContainerState, state: CampaignState) => string;
  /** Never the job's time: time alone is no news. */
  job: (job: SlurmJob) => string;
  /** A new plan's services count as shown already (the plain header names the plan): only a change is news. */
  plannedServicesShown: boolean;
}

interface Memory {
  lastCycle: number | null;
  seenServices: Map<string, string>;
  /** The key last shown per job the state keeps (jobs it dropped are forgotten, jobNews.ts). */
  seenJobs: Map<string, string>;
}

/** A classifier with its own memory: one per reporter. */
export function createActionNews(keys: NewsKeys): (action: Action, state: CampaignState) => News | null {
  const memory: Memory = { lastCycle: null, seenServices: new Map(), seenJobs: new Map() };
  return (action, state) => {
    switch (action.type) {
      case 'campaign/planned':
        return planned(state, memory, keys);
      case 'campaign/confirmRequired':
        return { kind: 'confirmRequired' };
      case 'campaign/starting':
        return { kind: 'starting', services: action.services };
      case 'campaign/started':
        return { kind: 'started' };
      case 'campaign/pauseRequested':
        return { kind: 'pauseRequested', paused: action.paused };
      case 'campaign/paused':
        return { kind: 'paused' };
      case 'campaign/resumed':
        return { kind: 'resumed' };
      case 'campaign/stopping':
        return { kind: 'stopping', reason: action.reason };
      case 'campaign/finished':
        return { kind: 'finished', exitCode: action.exitCode };
      case 'experiment/started': {
        const exp = experimentOf(state, action.expId);
        const newCycle = exp !== null && exp.cycleIndex !== memory.lastCycle;
        if (newCycle) memory.lastCycle = exp.cycleIndex;
        return { kind: 'experimentStarted', action, exp, newCycle };
      }
      case 'experiment/output':
        // The flood: no look-up of the experiment here.
        return { kind: 'experimentOutput', action };
      case 'experiment/stuck':
        return { kind: 'experimentStuck', action, exp: experimentOf(state, action.expId) };
      case 'experiment/retrying':
        return { kind: 'experimentRetrying', action, exp: experimentOf(state, action.expId) };
      case 'experiment/finished':
        return { kind: 'experimentFinished', action, exp: experimentOf(state, action.expId) };
      case 'service/state':
        return serviceNews(action.state, state, memory, keys);
      case 'job/state': {
        const news = jobNews(memory.seenJobs, action.job, state, keys.job(action.job));
        return news === null ? null : { kind: 'job', job: action.job, first: news === 'first' };
      }
      case 'gap/started':
        return { kind: 'gapStarted', action };
      case 'notice':
        return { kind: 'notice', action };
      case 'gpu/status':
        return { kind: 'gpuStatus', action };
      case 'gpu/sample':
        return { kind: 'gpuSample', action };
      // What the state shows but no line reports: a restart's cause (its
      // service's next state says it), gaps ending, a cool-down's readings,
      // questions (the TUI asks them), the clock.
      case 'service/restarting':
      case 'gap/ended':
      case 'gap/cooling':
      case 'question/asked':
      case 'question/answered':
      case 'tick':
        return null;
      default:
        return unclassified(action);
    }
  };
}

/** A new plan: every memory starts again (a resumed or re-planned campaign is announced anew). */
function planned(state: CampaignState, memory: Memory, keys: NewsKeys): News {
  memory.lastCycle = null;
  memory.seenServices.clear();
  memory.seenJobs.clear();
  if (keys.plannedServicesShown) {
    for (const s of Object.values(state.services)) memory.seenServices.set(s.service, keys.service(s, state));
  }
  return { kind: 'planned' };
}

function serviceNews(s: ContainerState, state: CampaignState, memory: Memory, keys: NewsKeys): News | null {
  const key = keys.service(s, state);
  if (memory.seenServices.get(s.service) === key) return null;
  memory.seenServices.set(s.service, key);
  return { kind: 'service', service: s };
}

function experimentOf(state: CampaignState, expId: string): ExperimentView | null {
  return state.experiments.find((e) => e.expId === expId) ?? null;
}

/** Every action type has a case above: a new one fails to compile here until it is classified. */
function unclassified(action: never): null {
  void action;
  return null;
}

// Which running experiment a service runs, and which experiments run at all,
// as the views ask it (the restart key and its dialog, the services panel,
// the teardown dialog). "Busy" is decided by the service each attempt runs
// in as the engine reported it (persistent with --gpus: the slot's own,
// "pytorch-gpu1"), never by the plan's service name, which no per-GPU row
// carries. Pure reads.
import { selectCurrent } from './selectors.js';
import type { CampaignState, ExperimentView } from './types.js';

/** The service an experiment's latest attempt runs in: the one the engine named, else its plan's. */
export function serviceRunningIt(e: ExperimentView): string {
  return e.runsOn ?? e.service;
}

/** The experiments running now: the followed one first, then the others in start order. */
export function selectRunningExperiments(state: CampaignState): ExperimentView[] {
  const current = selectCurrent(state);
  const ids = [...(current ? [current.expId] : []), ...state.running];
  const out: ExperimentView[] = [];
  for (const id of new Set(ids)) {
    const e = state.experiments.find((x) => x.expId === id);
    if (e && e.status === 'running') out.push(e);
  }
  return out;
}

/** The experiment that runs in `service` now (the followed one first); null when the service is free. */
export function selectRunningOn(state: CampaignState, service: string): ExperimentView | null {
  return selectRunningExperiments(state).find((e) => serviceRunningIt(e) === service) ?? null;
}

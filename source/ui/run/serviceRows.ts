// Which services the services panel shows when not all fit: every service
// that runs an experiment (with --gpus each slot has its own, and a hidden
// busy one is a run nobody sees), the selected one, then its neighbours.
// Pure.
import { selectRunningExperiments, serviceRunningIt } from '../../state/busyServices.js';
import type { CampaignState } from '../../state/types.js';
import { windowStart } from '../text.js';

/** The services that run an experiment now. */
export function busyServices(state: CampaignState): Set<string> {
  return new Set(selectRunningExperiments(state).map(serviceRunningIt));
}

/** How many of the panel's services run an experiment now. */
export function busyServiceCount(state: CampaignState): number {
  const busy = busyServices(state);
  return state.serviceOrder.filter((s) => busy.has(s)).length;
}

/**
 * At most `rows` of `order`, in panel order: the selected one and the busy
 * ones first, then the window around the selected one, then the rest.
 */
export function shownServices(order: readonly string[], busy: ReadonlySet<string>, selected: string | null, rows: number): string[] {
  if (order.length <= rows) return [...order];
  const at = Math.max(0, selected === null ? 0 : order.indexOf(selected));
  const start = windowStart(order.length, at, rows);
  const wanted = [order[at]!, ...order.filter((s) => busy.has(s)), ...order.slice(start, start + rows), ...order];
  const chosen = new Set<string>();
  for (const s of wanted) if (chosen.size < rows) chosen.add(s);
  return order.filter((s) => chosen.has(s));
}

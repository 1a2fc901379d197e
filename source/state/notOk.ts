// The experiments that ended without a result, and how to name them: failed
// ones, ones the user skipped (s), and ones a stop of the campaign
// interrupted (they run again on --resume). A list that holds only
// interrupted ones is "Interrupted", never "skipped": s means something else.
// Pure reads for the summary screen, the plain summary and NDJSON.
import type { ExperimentStatus } from '../domain/experiment.js';
import type { CampaignState, ExperimentView } from './types.js';

const NOT_OK: readonly ExperimentStatus[] = ['failed', 'skipped', 'interrupted'];

/** Failed, skipped and interrupted experiments, in plan order. */
export function selectNotOk(state: CampaignState): ExperimentView[] {
  return state.experiments.filter((e) => NOT_OK.includes(e.status));
}

/** "failed", "failed or skipped", "failed, skipped or interrupted": the kinds the list holds. */
export function notOkWords(list: readonly ExperimentView[]): string {
  const kinds = NOT_OK.filter((k) => list.some((e) => e.status === k));
  if (kinds.length <= 1) return kinds[0] ?? 'failed';
  return `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}

/** Why it ended without a result, for a line: an interrupted one runs again on --resume. */
export function notOkReason(e: ExperimentView): string {
  if (e.status === 'interrupted') return 'runs again on --resume';
  return e.reason ?? (e.exitCode !== null ? `exit ${e.exitCode}` : 'no reason recorded');
}

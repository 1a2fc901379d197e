// What a teardown (compose down, or Slurm's scancel of every job) interrupts:
// every experiment running now, named, not only the followed one (with
// --gpus or several Slurm jobs, all of them stop). Read from the state when
// the dialog is drawn.
import { experimentLabel } from '../../domain/experiment.js';
import { selectRunningExperiments } from '../../state/busyServices.js';
import type { CampaignState } from '../../state/types.js';
import { wrapWords } from '../text.js';

/** Ids named at most; more are counted ("and 4 more"), so the dialog fits a small terminal. */
const NAMED = 8;

/** "This interrupts the running experiment 0004 …." or "This interrupts the 2 running experiments: 0003, 0004.", in lines of `inner`. */
export function interruptsLines(state: CampaignState, inner: number): string[] {
  const running = selectRunningExperiments(state).sort((a, b) => a.index - b.index);
  const [only] = running;
  if (!only) return ['No experiment is running.'];
  if (running.length === 1) return wrapWords(`This interrupts the running experiment ${experimentLabel(only)}.`, inner);
  const ids = running.slice(0, NAMED).map((e) => e.expId);
  const more = running.length > NAMED ? ` and ${running.length - NAMED} more` : '';
  return wrapWords(`This interrupts the ${running.length} running experiments: ${ids.join(', ')}${more}.`, inner);
}

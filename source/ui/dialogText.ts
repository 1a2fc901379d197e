// The words of the open dialog, by its kind: teardown (compose down, or with
// Slurm every job cancelled), restart a service, resubmit a Slurm job. Each
// panel keeps its own words (the jobs panel's in jobs/jobDialogs.ts); this
// file only picks them, so overlays/Dialog.tsx draws any dialog knowing none.
import { experimentLabel } from '../domain/experiment.js';
import { shellQuote } from '../domain/shellQuote.js';
import { selectRunningOn } from '../state/busyServices.js';
import type { CampaignState } from '../state/types.js';
import { cancelJobsText, resubmitText } from './jobs/jobDialogs.js';
import type { DialogText } from './overlays/Dialog.js';
import { interruptsLines } from './overlays/interruptsText.js';
import { wrapWords } from './text.js';
import type { Dialog } from './uiState.js';

/** The words of a dialog, in lines of `inner` columns: what it asks and the exact command that will run. */
export function dialogText(dialog: Dialog, state: CampaignState, inner: number): DialogText {
  const project = state.meta?.composeProject ?? 'lem';
  const down = state.meta?.commands?.down;
  if (dialog.kind === 'teardown' && state.meta?.scheduler) return cancelJobsText(state, inner);
  if (dialog.kind === 'resubmit') return resubmitText(dialog, state, inner);
  if (dialog.kind === 'teardown') {
    return {
      title: `Stop and remove all services of project ${project}?`,
      lines: [
        ...(down ? wrapWords(`Runs: ${shellQuote(down)}`, inner) : ['Stops the running experiment (no compose services).']),
        ...interruptsLines(state, inner),
      ],
      defaultYes: false,
    };
  }
  // Read the state now, not when the dialog opened: the experiment may have ended meanwhile.
  const running = selectRunningOn(state, dialog.service);
  return {
    title: `Restart service ${dialog.service}?`,
    lines: running
      ? [`This interrupts the running experiment ${experimentLabel(running)};`, 'it will be retried or marked failed.']
      : [`No experiment is running on ${dialog.service} now.`],
    defaultYes: false,
  };
}

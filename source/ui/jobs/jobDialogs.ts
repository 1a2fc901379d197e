// The words of the Slurm dialogs (--dispatch slurm): teardown cancels every
// job of the campaign; r on a running job resubmits it. Read from the state
// now, not when the dialog opened: a job may have ended meanwhile.
import { experimentLabel } from '../../domain/experiment.js';
import { isActiveJob } from '../../domain/slurmJob.js';
import { jobStateText, selectActiveJobCounts } from '../../state/jobs.js';
import type { CampaignState } from '../../state/types.js';
import { wrapWords } from '../text.js';
import type { DialogText } from '../overlays/Dialog.js';
import { interruptsLines } from '../overlays/interruptsText.js';

export function cancelJobsText(state: CampaignState, inner: number): DialogText {
  const { running, pending } = selectActiveJobCounts(state);
  const n = state.running.length;
  // A job just submitted is in no squeue answer yet (one every 2 s): then count the experiments that run.
  const counts = running + pending > 0 || n === 0 ? `${running} running, ${pending} pending` : `${n} submitted`;
  return {
    title: `Cancel every job of the campaign (${counts})?`,
    lines: [...wrapWords(`Runs scancel on each Slurm job of campaign ${state.meta?.campaignId ?? ''}; nothing more is submitted.`, inner), ...interruptsLines(state, inner)],
    defaultYes: false,
  };
}

export function resubmitText(dialog: { jobId: string; expId: string }, state: CampaignState, inner: number): DialogText {
  const job = state.jobs[dialog.jobId];
  const exp = state.experiments.find((e) => e.expId === dialog.expId);
  const title = `Resubmit job ${dialog.jobId} (${exp ? experimentLabel(exp) : dialog.expId})?`;
  if (!job || !isActiveJob(job.state)) {
    return { title, lines: [`Job ${dialog.jobId} has ended${job ? ` (${job.state})` : ''}: nothing to resubmit.`], defaultYes: false };
  }
  const where = job.node ? ` on node ${job.node}` : '';
  return {
    title,
    lines: wrapWords(`Cancels job ${dialog.jobId} (${jobStateText(job)}${where}) and submits it again: its experiment is interrupted and counted as a retry.`, inner),
    defaultYes: false,
  };
}

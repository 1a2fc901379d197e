// The jobs panel's keys (--dispatch slurm): ↑/↓/j/k select a job, r resubmits
// it. Pure, as uiState.ts: what a key does (a hint, the resubmit dialog, the
// commands to send), from the selected job's id and the state; uiState.ts
// puts it into the view's state, so this file needs nothing of it.
import { isActiveJob, type SlurmJob } from '../../domain/slurmJob.js';
import { selectJobRows } from '../../state/jobs.js';
import type { CampaignState, Command } from '../../state/types.js';

/** r on a job Slurm runs: resubmitting interrupts its experiment, so ask first. */
export interface ResubmitDialog {
  kind: 'resubmit';
  jobId: string;
  expId: string;
}

/** What a jobs-panel key does: the hint to show (null: none), the dialog to have open, the commands to send. */
export interface JobKeyResult {
  hint: string | null;
  dialog: ResubmitDialog | null;
  commands: Command[];
}

/** --dispatch slurm: the jobs panel stands where the services panel does. */
export function hasScheduler(state: CampaignState): boolean {
  return Boolean(state.meta?.scheduler);
}

/** The selected job: the one `chosen` while it is still a row, else the first row; null without jobs. */
export function selectedJob(chosen: string | null, state: CampaignState): SlurmJob | null {
  const rows = selectJobRows(state);
  return rows.find((j) => j.jobId === chosen) ?? rows[0] ?? null;
}

/** ↑/↓: the id of the job above or below the selected one (`chosen`), staying on the first and last rows. */
export function moveJobSelection(chosen: string | null, state: CampaignState, step: -1 | 1): string | null {
  const rows = selectJobRows(state);
  if (rows.length === 0) return chosen;
  const at = Math.max(0, rows.findIndex((j) => j.jobId === selectedJob(chosen, state)?.jobId));
  return rows[Math.min(rows.length - 1, Math.max(0, at + step))]!.jobId;
}

/** Slurm gave it a node: cancelling it interrupts its experiment. */
export function jobStarted(job: SlurmJob): boolean {
  return isActiveJob(job.state) && job.state !== 'PENDING' && job.state !== 'REQUEUED';
}

/**
 * r: a queued job is cancelled and submitted again at once; one that runs
 * interrupts its experiment, so ask first (default No); an ended one has
 * nothing to resubmit: a hint says so.
 */
export function resubmitKey(chosen: string | null, state: CampaignState): JobKeyResult {
  const job = selectedJob(chosen, state);
  if (!job) return { hint: 'No job to resubmit yet', dialog: null, commands: [] };
  if (!isActiveJob(job.state)) return { hint: endedHint(job), dialog: null, commands: [] };
  if (jobStarted(job)) return { hint: null, dialog: { kind: 'resubmit', jobId: job.jobId, expId: job.expId }, commands: [] };
  return { hint: null, dialog: null, commands: [{ type: 'resubmitJob', expId: job.expId }] };
}

/** y in the resubmit dialog (which closes): only while the job is still active (it may have ended while the dialog was open). */
export function resubmitConfirmed(state: CampaignState, dialog: ResubmitDialog): JobKeyResult {
  const job = state.jobs[dialog.jobId];
  if (job && isActiveJob(job.state)) return { hint: null, dialog: null, commands: [{ type: 'resubmitJob', expId: dialog.expId }] };
  return { hint: job ? endedHint(job) : null, dialog: null, commands: [] };
}

function endedHint(job: SlurmJob): string {
  return `Job ${job.jobId} has ended (${job.state}): nothing to resubmit`;
}

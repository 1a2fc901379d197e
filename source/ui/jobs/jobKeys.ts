// The jobs panel's keys (--dispatch slurm): ↑/↓/j/k select a job, r resubmits
// it. Pure, as uiState.ts: the next UI state and the commands to send.
import { isActiveJob, type SlurmJob } from '../../domain/slurmJob.js';
import { selectJobRows } from '../../state/jobs.js';
import type { CampaignState } from '../../state/types.js';
import type { KeyResult, UiState } from '../uiState.js';

/** --dispatch slurm: the jobs panel stands where the services panel does. */
export function hasScheduler(state: CampaignState): boolean {
  return Boolean(state.meta?.scheduler);
}

/** The selected job: the one chosen while it is still a row, else the first row; null without jobs. */
export function selectedJob(ui: UiState, state: CampaignState): SlurmJob | null {
  const rows = selectJobRows(state);
  return rows.find((j) => j.jobId === ui.selectedJob) ?? rows[0] ?? null;
}

export function moveJobSelection(ui: UiState, state: CampaignState, step: -1 | 1): string | null {
  const rows = selectJobRows(state);
  if (rows.length === 0) return ui.selectedJob;
  const at = Math.max(0, rows.findIndex((j) => j.jobId === selectedJob(ui, state)?.jobId));
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
export function resubmitKey(ui: UiState, state: CampaignState): KeyResult {
  const job = selectedJob(ui, state);
  if (!job) return { ui: { ...ui, hint: 'No job to resubmit yet' }, commands: [] };
  if (!isActiveJob(job.state)) return { ui: { ...ui, hint: endedHint(job) }, commands: [] };
  if (jobStarted(job)) return { ui: { ...ui, dialog: { kind: 'resubmit', jobId: job.jobId, expId: job.expId } }, commands: [] };
  return { ui, commands: [{ type: 'resubmitJob', expId: job.expId }] };
}

/** y in the resubmit dialog: only while the job is still active (it may have ended while the dialog was open). */
export function resubmitConfirmed(ui: UiState, state: CampaignState, jobId: string, expId: string): KeyResult {
  const job = state.jobs[jobId];
  const closed = { ...ui, dialog: null };
  if (job && isActiveJob(job.state)) return { ui: closed, commands: [{ type: 'resubmitJob', expId }] };
  return { ui: job ? { ...closed, hint: endedHint(job) } : closed, commands: [] };
}

function endedHint(job: SlurmJob): string {
  return `Job ${job.jobId} has ended (${job.state}): nothing to resubmit`;
}

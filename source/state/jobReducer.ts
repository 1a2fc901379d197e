// Slurm jobs in the state: every job still in Slurm's hands and the last
// ENDED_JOBS_KEPT ended ones, nothing older, so a 10,000-experiment campaign
// keeps a few dozen rows. A resubmitted experiment's new job is a row of its
// own (the old one ends CANCELLED).
import { isActiveJob, type SlurmJob } from '../domain/slurmJob.js';
import type { CampaignState } from './types.js';

/** Ended jobs kept for the jobs panel; older ended ones are dropped. */
export const ENDED_JOBS_KEPT = 20;

/** A job as Slurm now reports it: new ones take their place in submission order; the oldest ended beyond the limit go. */
export function reduceJob(state: CampaignState, job: SlurmJob): CampaignState {
  const known = job.jobId in state.jobs;
  const jobs = { ...state.jobs, [job.jobId]: job };
  const order = known ? state.jobOrder : inSubmissionOrder(state.jobOrder, job.jobId);
  return { ...state, ...withoutOldEnded(jobs, order) };
}

/**
 * Slurm numbers jobs as they are submitted: a job reported late (or again,
 * after it was dropped) goes before the first job with a higher number, so an
 * old one is the oldest again. An id that is no number ends the list.
 */
function inSubmissionOrder(order: readonly string[], jobId: string): string[] {
  const n = jobNumber(jobId);
  const at = n === null ? -1 : order.findIndex((other) => later(jobNumber(other), n));
  return at < 0 ? [...order, jobId] : [...order.slice(0, at), jobId, ...order.slice(at)];
}

/** "1234" → [1234, 0], "1234_7" (an array task) → [1234, 7]; null when not a number. */
function jobNumber(jobId: string): [number, number] | null {
  const m = /^(\d+)(?:_(\d+))?$/.exec(jobId);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : null;
}

function later(a: [number, number] | null, b: [number, number]): boolean {
  return a !== null && (a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]));
}

function withoutOldEnded(jobs: Record<string, SlurmJob>, order: string[]): Pick<CampaignState, 'jobs' | 'jobOrder'> {
  let excess = order.filter((id) => !isActiveJob(jobs[id]!.state)).length - ENDED_JOBS_KEPT;
  if (excess <= 0) return { jobs, jobOrder: order };
  const kept: Record<string, SlurmJob> = {};
  const jobOrder: string[] = [];
  for (const id of order) {
    const job = jobs[id]!;
    if (excess > 0 && !isActiveJob(job.state)) {
      excess--;
      continue;
    }
    kept[id] = job;
    jobOrder.push(id);
  }
  return { jobs: kept, jobOrder };
}

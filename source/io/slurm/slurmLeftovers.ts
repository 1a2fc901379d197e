// Before a Slurm run submits anything: jobs of this campaign that an earlier
// lem-tui left in the queue (it was SIGKILLed, or its host went away). Found
// by name, cancelled with --yes or after a question, and waited for, so that
// no experiment ever runs twice at once. The run lock is held: no live run
// of this campaign owns them.
import { EnvironmentError } from '../../domain/environmentError.js';
import { isActiveJob } from '../../domain/slurmJob.js';
import { cancelJobs, listJobs, waitJobsEnded } from './slurmQueue.js';

export interface LeftoverChoice {
  yes: boolean;
  interactive: boolean;
  ask: (question: string, defaultYes: boolean) => Promise<boolean>;
  /** How long to wait for the cancelled jobs to leave the queue (default 120 s: KillWait is often 30 s). */
  waitMs?: number;
}

/** Returns a note for the run's info notices; throws EnvironmentError when they may not be cancelled. */
export async function cancelLeftoverJobs(project: string, choice: LeftoverChoice): Promise<string[]> {
  const left = await activeJobs(project);
  if (left.length === 0) return [];
  const ids = left.map((j) => j.jobId);
  const what = `${left.length} Slurm job${left.length === 1 ? '' : 's'} of this campaign from an earlier run ${left.length === 1 ? 'is' : 'are'} still queued or running (${left.map((j) => `${j.jobId} ${j.state}`).join(', ')})`;
  const cancelNow = choice.yes || (choice.interactive && (await choice.ask(`${what}. Cancel ${left.length === 1 ? 'it' : 'them'} and go on?`, true)));
  if (!cancelNow) {
    throw new EnvironmentError(what, `cancel them (scancel ${ids.join(' ')}), or pass --yes to have lem-tui cancel them and go on`);
  }
  const cancelled = await cancelJobs(ids);
  if (!cancelled.ok) throw new EnvironmentError(`could not cancel the earlier run's jobs: ${cancelled.message}`, `cancel them yourself: scancel ${ids.join(' ')}`);
  const still = await waitJobsEnded(`${project}-`, choice.waitMs ?? 120_000, ids);
  if (still === null || still.length > 0) {
    const which = still?.map((j) => j.jobId).join(', ') ?? ids.join(', ');
    throw new EnvironmentError(`the earlier run's jobs ${which} did not end after scancel`, 'wait for them to leave squeue, then start again');
  }
  return [`cancelled ${left.length} Slurm job${left.length === 1 ? '' : 's'} an earlier run left: ${ids.join(', ')}`];
}

async function activeJobs(project: string) {
  const rows = await listJobs(`${project}-`);
  if (rows === null) throw new EnvironmentError('squeue did not answer: cannot tell whether an earlier run left jobs', 'check `squeue` on this host, then start again');
  return rows.filter((j) => isActiveJob(j.state));
}

// What lem-tui asks Slurm, and how it cancels: squeue for the campaign's
// jobs (one call for all of them), scontrol (else sacct) for one job's GPUs and end,
// scancel by job id. Each answer is read by a pure parser beside it, in io/slurm/.
import os from 'node:os';
import { isActiveJob } from '../../domain/slurmJob.js';
import { capture } from '../process/process.js';
import { parseQueue, SQUEUE_FORMAT, type QueueRow } from './squeueFormat.js';
import { parseJobDetail, type JobDetail } from './scontrolJob.js';
import { parseSacctJob, SACCT_FIELDS } from './sacctJob.js';

const ASK_MS = 15_000;

/** The user Slurm knows us by (squeue/scancel --user): jobs of other users are never touched. */
export function slurmUser(): string {
  return os.userInfo().username;
}

/** Every job of ours Slurm still knows (queued, running, and ended ones it keeps for MinJobAge) whose name starts with `prefix`. */
export async function listJobs(prefix: string): Promise<QueueRow[] | null> {
  const r = await capture(['squeue', '--noheader', `--user=${slurmUser()}`, '--states=all', `--format=${SQUEUE_FORMAT}`], { timeoutMs: ASK_MS });
  if (r.exitCode !== 0) return null;
  return parseQueue(r.stdout).filter((row) => row.name.startsWith(prefix));
}

/**
 * One job in detail: slurmctld's view, else accounting's (sacct, where
 * accounting is on) once slurmctld has forgotten it (MinJobAge after its
 * end); null when neither knows it.
 */
export async function jobDetail(jobId: string): Promise<JobDetail | null> {
  const r = await capture(['scontrol', 'show', 'job', '--details', '--oneliner', jobId], { timeoutMs: ASK_MS });
  const detail = r.exitCode === 0 ? parseJobDetail(r.stdout) : null;
  if (detail) return detail;
  // "Slurm accounting storage is disabled" (exit 1) where it is off.
  const acct = await capture(['sacct', '-j', jobId, '-X', '-n', '-P', '-o', SACCT_FIELDS], { timeoutMs: ASK_MS });
  return acct.exitCode === 0 ? parseSacctJob(acct.stdout) : null;
}

/** scancel of these jobs (Slurm signals each one's tasks, then kills them after its KillWait). */
export async function cancelJobs(jobIds: string[]): Promise<{ ok: boolean; message: string | null }> {
  if (jobIds.length === 0) return { ok: true, message: null };
  const r = await capture(['scancel', ...jobIds], { timeoutMs: ASK_MS });
  return { ok: r.exitCode === 0, message: r.exitCode === 0 ? null : (r.spawnError ?? (r.stderr.trim() || `scancel exited ${r.exitCode}`)) };
}

/** scancel by job name (one name: a comma list matches nothing), for a job whose id no poll has seen yet. */
export async function cancelJobNamed(name: string): Promise<void> {
  await capture(['scancel', `--user=${slurmUser()}`, `--name=${name}`], { timeoutMs: ASK_MS });
}

/**
 * Waits until none of our jobs named `prefix…` (of `ids`, when given) is
 * active any more, COMPLETING included: only then has everything of theirs
 * on the node ended. Returns those still active at the deadline; null when
 * squeue does not answer.
 */
export async function waitJobsEnded(prefix: string, timeoutMs: number, ids: string[] | null = null): Promise<QueueRow[] | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await listJobs(prefix);
    if (rows === null) return null;
    const still = rows.filter((j) => isActiveJob(j.state) && (ids === null || ids.includes(j.jobId)));
    if (still.length === 0 || Date.now() > deadline) return still;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// Why a Slurm job ended, in words, when Slurm and not the harness ended it;
// and whether another attempt may pass (retry rules: campaign/retryPolicy.ts).
// From scontrol's JobState when Slurm still knows the job, else from the
// lines slurmstepd prints into the job's output ("*** STEP 12.0 ON node
// CANCELLED AT … DUE TO TIME LIMIT ***"), which also speak when scontrol
// still calls the job RUNNING or COMPLETING. Pure.
import type { JobDetail } from './scontrolJob.js';

export interface JobEnd {
  /** Slurm's state word, e.g. TIMEOUT; null when neither scontrol nor the output tells. */
  state: string | null;
  /** null: the harness's own exit says it all (COMPLETED, FAILED with its code). */
  reason: string | null;
  /** Ended by Slurm or from outside, not by the harness: worth another attempt. */
  retryable: boolean;
}

/** `ourCancel`: lem-tui itself cancelled it (a quit, or `r` to resubmit). */
export function jobEnd(jobId: string | null, detail: JobDetail | null, output: readonly string[], ourCancel: 'quit' | 'resubmit' | null): JobEnd {
  // Slurm may not have settled the job yet when srun returns (RUNNING or
  // COMPLETING): then slurmstepd's line, if it printed one, says more.
  const settled = detail && !STILL_ENDING.has(detail.state) ? detail.state : null;
  const state = settled ?? stateFromOutput(output) ?? detail?.state ?? null;
  const job = jobId ? `job ${jobId}` : 'the job';
  if (ourCancel === 'resubmit') return { state, reason: `${job} cancelled to resubmit it (r)`, retryable: true };
  switch (state) {
    case 'TIMEOUT':
      return { state, reason: `Slurm ended ${job} at its time limit (TIMEOUT${detail?.timeLimit ? `, ${detail.timeLimit}` : ''})`, retryable: true };
    case 'CANCELLED':
      return ourCancel
        ? { state, reason: null, retryable: false }
        : { state, reason: `${job} was cancelled outside lem-tui (CANCELLED${detail?.reason ? `, ${detail.reason}` : ''})`, retryable: true };
    case 'NODE_FAIL':
      return { state, reason: `${job} lost its node ${detail?.node ?? ''} (NODE_FAIL)`.replace('  ', ' '), retryable: true };
    case 'PREEMPTED':
      return { state, reason: `${job} was preempted (PREEMPTED)`, retryable: true };
    case 'BOOT_FAIL':
      return { state, reason: `${job}'s node did not boot (BOOT_FAIL)`, retryable: true };
    case 'OUT_OF_MEMORY':
      return { state, reason: `${job} ran out of memory on its node (OUT_OF_MEMORY)`, retryable: false };
    default:
      return { state, reason: null, retryable: false };
  }
}

/** States of a job Slurm has not finished ending. */
const STILL_ENDING = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED']);

const STEPD = /\*\*\* (?:JOB|STEP) \S+ ON \S+ CANCELLED AT \S+( DUE TO TIME LIMIT| DUE TO PREEMPTION| DUE TO NODE FAILURE)?/;

function stateFromOutput(output: readonly string[]): string | null {
  if (output.some((l) => l.startsWith('srun: error: Node failure on '))) return 'NODE_FAIL';
  for (let i = output.length - 1; i >= 0; i--) {
    const m = STEPD.exec(output[i]!);
    if (!m) continue;
    if (m[1] === ' DUE TO TIME LIMIT') return 'TIMEOUT';
    if (m[1] === ' DUE TO PREEMPTION') return 'PREEMPTED';
    if (m[1] === ' DUE TO NODE FAILURE') return 'NODE_FAIL';
    return 'CANCELLED';
  }
  return null;
}

// Slurm jobs for the state, view and report tests (--dispatch slurm).
import type { SlurmJob, SlurmScheduler } from '../../source/domain/slurmJob.js';
import type { Action } from '../../source/state/types.js';

export const scheduler: SlurmScheduler = { kind: 'slurm', partition: 'debug', gres: 'gpu:1', maxJobs: 4, container: 'none' };

/** Job `jobId` of experiment `expId`, PENDING (Resources) unless patched. */
export function job(jobId: string | number, expId: string, patch: Partial<SlurmJob> = {}): SlurmJob {
  return {
    jobId: String(jobId),
    name: `lem-a1b2c3d4-camp-${expId}`,
    expId,
    state: 'PENDING',
    reason: 'Resources',
    node: null,
    gpus: null,
    elapsedS: null,
    ...patch,
  };
}

export function jobAction(at: number, jobId: string | number, expId: string, patch: Partial<SlurmJob> = {}): Action {
  return { type: 'job/state', at, job: job(jobId, expId, patch) };
}

export const running = (node = 'vm', gpus: string | null = '1', elapsedS = 42): Partial<SlurmJob> => ({ state: 'RUNNING', reason: null, node, gpus, elapsedS });

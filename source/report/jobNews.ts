// When a Slurm job is news for a line-by-line reporter (plain, NDJSON): when
// it is new, or what the reporter shows of it changed; never for time alone,
// never for a job the state no longer keeps (an old one reported again). The
// memory holds only jobs the state keeps, so it stays as small as the state.
import type { SlurmJob } from '../domain/slurmJob.js';
import type { CampaignState } from '../state/types.js';

/** `key`: what the reporter shows of the job (without its time). 'first', 'changed', or null when no news. */
export function jobNews(seen: Map<string, string>, job: SlurmJob, state: CampaignState, key: string): 'first' | 'changed' | null {
  if (!(job.jobId in state.jobs)) return null;
  const before = seen.get(job.jobId);
  if (before === key) return null;
  seen.set(job.jobId, key);
  if (seen.size > state.jobOrder.length) {
    for (const id of seen.keys()) if (!(id in state.jobs)) seen.delete(id);
  }
  return before === undefined ? 'first' : 'changed';
}

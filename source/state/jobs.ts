// Figures of the Slurm jobs (--dispatch slurm) for every view: counts, the
// one-line summary, the panel's rows, how a job's state reads. Pure reads.
import { isActiveJob, type SlurmJob, type SlurmScheduler } from '../domain/slurmJob.js';
import type { CampaignState } from './types.js';

/** Active states in the order the summary names them. */
const ACTIVE_ORDER = ['RUNNING', 'PENDING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'REQUEUED'];

/** Ended in trouble: the views show these as failures. */
const FAILED_STATES = new Set(['FAILED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE']);

export function isFailedJob(state: string): boolean {
  return FAILED_STATES.has(state);
}

/** Slurm's reason, or null for none (Slurm writes "None"). */
export function jobReason(job: SlurmJob): string | null {
  const r = job.reason?.trim();
  return r && r !== 'None' ? r : null;
}

/** "PENDING (Resources)", "RUNNING", "TIMEOUT (TimeLimit)". */
export function jobStateText(job: SlurmJob): string {
  const reason = jobReason(job);
  return reason ? `${job.state} (${reason})` : job.state;
}

/** Jobs kept in the state by Slurm state: active ones, and the last ended ones (older ended ones are dropped). */
export function selectJobCounts(state: CampaignState): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of state.jobOrder) {
    const job = state.jobs[id];
    if (job) counts[job.state] = (counts[job.state] ?? 0) + 1;
  }
  return counts;
}

/** Jobs Slurm runs now (state RUNNING). */
export function selectRunningJobs(state: CampaignState): number {
  return selectJobCounts(state)['RUNNING'] ?? 0;
}

/** For the teardown dialog: active jobs that started (running, configuring, ending) and the pending ones. */
export function selectActiveJobCounts(state: CampaignState): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const job of jobsInOrder(state)) {
    if (job.state === 'PENDING') pending++;
    else if (isActiveJob(job.state)) running++;
  }
  return { running, pending };
}

/**
 * "2 running · 4 pending (3 Resources, 1 Priority)": the active jobs by state,
 * pending ones with Slurm's reasons (a reason all share without a count, none
 * left out). "no active jobs", or "no jobs yet" before the first.
 */
export function selectJobSummary(state: CampaignState): string {
  const active = jobsInOrder(state).filter((j) => isActiveJob(j.state));
  if (active.length === 0) return state.jobOrder.length === 0 ? 'no jobs yet' : 'no active jobs';
  const states = [...new Set([...ACTIVE_ORDER, ...active.map((j) => j.state)])];
  return states
    .map((s) => {
      const of = active.filter((j) => j.state === s);
      if (of.length === 0) return null;
      const reasons = s === 'PENDING' ? pendingReasons(of) : '';
      return `${of.length} ${s.toLowerCase()}${reasons}`;
    })
    .filter((part): part is string => part !== null)
    .join(' · ');
}

/** " (Resources)" when all share it, " (3 Resources, 1 Priority)" (most first), "" without reasons. */
function pendingReasons(pending: readonly SlurmJob[]): string {
  const counts = new Map<string, number>();
  for (const job of pending) {
    const r = jobReason(job);
    if (r !== null) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  if (counts.size === 0) return '';
  const [only] = counts;
  if (counts.size === 1 && only![1] === pending.length) return ` (${only![0]})`;
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`);
  return ` (${parts.join(', ')})`;
}

/** The jobs panel's rows: active jobs in submission order, then the ended ones kept, latest first. */
export function selectJobRows(state: CampaignState): SlurmJob[] {
  const all = jobsInOrder(state);
  return [...all.filter((j) => isActiveJob(j.state)), ...all.filter((j) => !isActiveJob(j.state)).reverse()];
}

/** The experiment's latest job (a resubmitted one has several); null when Slurm reported none. */
export function selectJobOf(state: CampaignState, expId: string): SlurmJob | null {
  const all = jobsInOrder(state);
  for (let i = all.length - 1; i >= 0; i--) if (all[i]!.expId === expId) return all[i]!;
  return null;
}

/** "slurm · partition debug" (the header), "slurm · default partition". */
export function schedulerLabel(s: SlurmScheduler): string {
  return `slurm · ${s.partition ? `partition ${s.partition}` : 'default partition'}`;
}

function jobsInOrder(state: CampaignState): SlurmJob[] {
  return state.jobOrder.flatMap((id) => {
    const job = state.jobs[id];
    return job ? [job] : [];
  });
}

// A Slurm job of the campaign as Slurm reports it (squeue, scontrol show
// job): one experiment's attempt, for every view. The state is Slurm's own
// word, never one we assume.

/** Slurm's job states this tool names; Slurm may report others (PREEMPTED, SUSPENDED...), shown as given. */
export type SlurmJobState =
  | 'PENDING'
  | 'CONFIGURING'
  | 'RUNNING'
  | 'COMPLETING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'NODE_FAIL'
  | 'OUT_OF_MEMORY'
  | (string & {});

export interface SlurmJob {
  jobId: string;
  /** `lem-<campaign id>-<folder key>-<exp id>`: how a later run finds it again. */
  name: string;
  expId: string;
  state: SlurmJobState;
  /** Slurm's reason (PENDING: "Resources", "Priority"; ended: "TimeLimit"); null for Slurm's "None". */
  reason: string | null;
  /** The node it runs on; null while pending. */
  node: string | null;
  /** The GPUs Slurm gave it on its node ("0", "0,1"); null until known. */
  gpus: string | null;
  /** Time used as Slurm counts it (seconds); null when not reported. */
  elapsedS: number | null;
}

/** Still in Slurm's hands: queued, starting, running or ending. */
export function isActiveJob(state: SlurmJobState): boolean {
  return state === 'PENDING' || state === 'CONFIGURING' || state === 'RUNNING' || state === 'COMPLETING' || state === 'SUSPENDED' || state === 'REQUEUED';
}

/** How a campaign is put on a Slurm cluster (for the views: the jobs panel and the header). */
export interface SlurmScheduler {
  kind: 'slurm';
  partition: string | null;
  gres: string;
  maxJobs: number;
  /** none: the harness runs on the node; compose: `compose run --rm` on the node. */
  container: 'none' | 'compose';
}

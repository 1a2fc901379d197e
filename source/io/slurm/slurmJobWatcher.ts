// Watches the campaign's Slurm jobs: one squeue every pollMs while any job
// of ours runs or waits, one scontrol per job once it runs (the GPUs Slurm
// gave it on its node). Tells listeners each new job and each change.
import type { SlurmJob } from '../../domain/slurmJob.js';
import { expIdOfJob } from './jobName.js';
import type { QueueRow } from './squeueFormat.js';
import { jobDetail, listJobs } from './slurmQueue.js';

export interface SlurmJobWatcherOptions {
  /** The compose-project-like prefix of the campaign's job names ("lem-<id>-<key>"). */
  project: string;
  /** Default 2000: a busy cluster's controller should not be asked much more often. */
  pollMs?: number;
}

export class SlurmJobWatcher {
  private readonly jobs = new Map<string, SlurmJob>();
  private readonly listeners = new Set<(job: SlurmJob) => void>();
  private readonly gpusAsked = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: SlurmJobWatcherOptions) {}

  onJob(listener: (job: SlurmJob) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The newest job (highest id) Slurm has had for this experiment. */
  latestJobId(expId: string): string | null {
    let latest: string | null = null;
    for (const job of this.jobs.values()) if (job.expId === expId && (latest === null || Number(job.jobId) > Number(latest))) latest = job.jobId;
    return latest;
  }

  job(jobId: string): SlurmJob | null {
    return this.jobs.get(jobId) ?? null;
  }

  /** Ask now (one poll at a time: a call during a poll waits for that one). */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = null));
    return this.polling;
  }

  /** What is known of a job from elsewhere (its end, read by scontrol after srun returned). */
  report(job: SlurmJob): void {
    const known = this.jobs.get(job.jobId);
    if (known && same(known, job)) return;
    this.jobs.set(job.jobId, job);
    for (const listener of this.listeners) listener(job);
  }

  private async pollOnce(): Promise<void> {
    const rows = await listJobs(`${this.options.project}-`);
    if (!rows || this.stopped) return;
    for (const row of rows) {
      const expId = expIdOfJob(this.options.project, row.name);
      if (expId) this.report(await this.withGpus(toJob(row, expId, this.jobs.get(row.jobId))));
    }
  }

  /** A running job's GPUs, asked once (squeue does not say which ones). */
  private async withGpus(job: SlurmJob): Promise<SlurmJob> {
    if (job.gpus !== null || job.state !== 'RUNNING' || this.gpusAsked.has(job.jobId)) return job;
    this.gpusAsked.add(job.jobId);
    const detail = await jobDetail(job.jobId);
    return { ...job, gpus: detail?.gpus ?? null, node: job.node ?? detail?.node ?? null };
  }
}

function toJob(row: QueueRow, expId: string, known: SlurmJob | undefined): SlurmJob {
  return {
    jobId: row.jobId,
    name: row.name,
    expId,
    state: row.state,
    reason: row.reason,
    node: row.node ?? known?.node ?? null,
    gpus: known?.gpus ?? null,
    elapsedS: row.elapsedS,
  };
}

function same(a: SlurmJob, b: SlurmJob): boolean {
  return a.state === b.state && a.reason === b.reason && a.node === b.node && a.gpus === b.gpus && a.elapsedS === b.elapsedS;
}

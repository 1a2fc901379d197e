// The Dispatcher contract: what the engine may ask of whatever runs its
// experiments (local, ephemeral, persistent, Slurm). The engine asks
// capabilities, never which dispatcher it holds. The request and the
// outcome themselves are shared words (domain/runRequest.ts).
import type { ContainerState } from '../domain/containerState.js';
import type { LeftRunning, DispatchRequest, RunOptions, RunOutcome } from '../domain/runRequest.js';
import type { ServiceCommands } from '../domain/serviceCommands.js';
import type { SlurmJob } from '../domain/slurmJob.js';
import type { ProjectListing } from '../compose/cleanup.js';

/** What a dispatcher can do: the engine asks these, never which dispatcher it holds. */
export interface DispatcherCapabilities {
  /** Long-lived services: prepare() starts them, and with auto_teardown off they stay up at the end. */
  readonly keepsServicesUp: boolean;
  /** restart(service) brings a fresh long-lived service (health_check.restart_on_failure and the health check use it). */
  readonly restartsServices: boolean;
  /** runner.cold_start applies: a fresh service before each experiment. */
  readonly coldStart: boolean;
}

/** The exact commands a dispatcher runs besides `run`, for the views and --dry-run to show (never rebuilt there). */
export type DispatcherCommands = ServiceCommands;

export interface Dispatcher {
  readonly capabilities: DispatcherCapabilities;
  readonly commands: DispatcherCommands;
  /** Start what must run before the first experiment (persistent: `up -d` + warmup). */
  prepare(signal: AbortSignal): Promise<void>;
  run(request: DispatchRequest, options: RunOptions): Promise<RunOutcome>;
  /** The exact argv `run` would spawn, secrets masked: for --dry-run and logs. */
  describe(request: DispatchRequest): string[];
  /**
   * Restart a service (persistent) or kill its running container (ephemeral);
   * no-op for local. Refused (rejects) once shutdown has begun: a restart's
   * `up -d` after `down` would leave a container behind.
   */
  restart(service: string): Promise<void>;
  /**
   * Stop and remove everything this dispatcher started, after the restarts
   * under way and the runs it cancels have ended; safe to call twice.
   */
  shutdown(): Promise<void>;
  /** What stays up for the user (and stop watching it); null when nothing long-lived runs. */
  leftRunning(): Promise<LeftRunning | null>;
  /**
   * The service that runs `service`'s experiments on these GPUs (persistent
   * with --gpus: one service per GPU slot). Absent: `service` itself.
   */
  serviceFor?(service: string, gpus: readonly string[]): string;
  /** GPU memory use of a long-lived service; null when it cannot tell. Absent: not measurable. */
  gpuMemory?(service: string): Promise<{ index: number; usedMb: number; totalMb: number }[] | null>;
  /** Slurm: subscribe to the campaign's jobs as Slurm reports them. Returns unsubscribe. Absent: no jobs. */
  onJobs?(listener: (job: SlurmJob) => void): () => void;
  /** Slurm: cancel the running experiment's job so that it is submitted again (its run ends retryable). False: no job of it runs. */
  resubmit?(expId: string): Promise<boolean>;
  /**
   * The compose project as the leftover sweep just listed it: the watcher's
   * first look at prepare(), instead of asking the engine again. Absent: no watcher.
   */
  adoptListing?(listing: ProjectListing): void;
  /** Subscribe to observed container states (persistent and ephemeral). Returns unsubscribe. */
  onState(listener: (state: ContainerState) => void): () => void;
}

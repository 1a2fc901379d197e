// The contract between the engine and whatever runs processes.

export type ComposeFlavour = 'v2' | 'v1' | 'podman';

/** How to call compose: the argv prefix (e.g. ["docker","compose"]) plus project and files. */
export interface ComposeTarget {
  flavour: ComposeFlavour;
  command: string[]; // ["docker","compose"] | ["docker-compose"] | ["podman","compose"]
  project: string; // "lem-<campaign_id>"
  files: string[]; // absolute paths, passed as -f in order
}

/** What the engine asks a dispatcher to run: the harness argv and its environment. */
export interface DispatchRequest {
  expId: string;
  service: string;
  /** Harness argv, e.g. ["lem","experiment","/app/configs/_campaign_0001.yaml","--yes","--fresh"]. */
  argv: string[];
  env: Record<string, string>;
  /** Keys of `env` whose values must never be printed (HF_TOKEN, ...). */
  secretKeys: string[];
  /** Kill after this long (0 = never). */
  timeoutMs: number;
  /** Kill after this long with no output (0 = never); `onStuck` fires at stuckMs. */
  inactivityMs: number;
  stuckMs: number;
  /** The slot's GPUs (labels) with --gpus: names its container and, in persistent mode, its service. */
  gpus?: string[];
}

export interface RunOptions {
  signal: AbortSignal;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once when no output arrived for `stuckMs`. */
  onStuck?: (silentForMs: number) => void;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  /** Ended by the caller's AbortSignal. */
  cancelled: boolean;
  /** Readable reason for a non-zero end (137: killed, 143: terminated, ...). */
  reason: string | null;
  /**
   * The dispatcher already restarted the service to end this run (a timed-out
   * exec in a persistent service): the engine counts it and does not restart again.
   */
  serviceRestarted?: boolean;
  /**
   * The dispatcher knows better than the exit code whether another attempt
   * may pass (a Slurm time limit, node failure or outside cancel: yes).
   * Absent: the exit code decides (campaign/retryPolicy.ts).
   */
  retryable?: boolean;
}

export type { ContainerState, ServiceStatus } from '../domain/containerState.js';
import type { ContainerState } from '../domain/containerState.js';
import type { ServiceCommands } from '../domain/serviceCommands.js';
import type { SlurmJob } from '../domain/slurmJob.js';
import type { ProjectListing } from './cleanup.js';

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

/** What stays up when auto_teardown is off. */
export interface LeftRunning {
  containers: string[];
  stopCommand: string[];
}

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

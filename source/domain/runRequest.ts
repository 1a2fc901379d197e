// The run request and its outcome: what the engine asks a dispatcher to run
// (the harness argv, its environment, its limits), how the run reports back
// while it lasts, and how it ended. Shared words: the engine builds requests,
// every dispatcher and the container manager answer them.

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

/** What stays up when auto_teardown is off. */
export interface LeftRunning {
  containers: string[];
  stopCommand: string[];
}

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
}

export type ServiceStatus = 'stopped' | 'starting' | 'running' | 'exited' | 'error';

export interface ContainerState {
  service: string;
  status: ServiceStatus;
  /** The engine's RestartCount plus the restarts we made. */
  restarts: number;
  startedAt: number | null; // epoch ms
  lastExitCode: number | null;
  containerId: string | null;
  /** e.g. "exited right after start: check the image's command" */
  message: string | null;
}

export interface Dispatcher {
  readonly kind: 'local' | 'ephemeral' | 'persistent';
  /** Start what must run before the first experiment (persistent: `up -d` + warmup). */
  prepare(signal: AbortSignal): Promise<void>;
  run(request: DispatchRequest, options: RunOptions): Promise<RunOutcome>;
  /** The exact argv `run` would spawn, secrets masked: for --dry-run and logs. */
  describe(request: DispatchRequest): string[];
  /** Restart a service (persistent) or kill the running container (ephemeral); no-op for local. */
  restartService(service: string): Promise<void>;
  /** Stop and remove everything this dispatcher started; safe to call twice. */
  teardown(): Promise<void>;
  /** GPU memory use of a long-lived service (persistent only); null when it cannot tell. */
  gpuMemory?(service: string): Promise<{ index: number; usedMb: number; totalMb: number }[] | null>;
  /** Subscribe to observed container states (persistent and ephemeral). Returns unsubscribe. */
  onState(listener: (state: ContainerState) => void): () => void;
}

// The one wrapper around execa. Every external program lemtui starts goes
// through runStreaming (long, chatty commands) or capture (short ones), by argv
// array, never a shell string.
import { execa } from 'execa';
import { LineSplitter } from './lineSplitter.js';

export type StreamName = 'stdout' | 'stderr';

export interface StreamingOptions {
  /** Merged over process.env. */
  env?: Record<string, string>;
  cwd?: string;
  /** Aborting it stops the process (see the kill ladder below). */
  signal?: AbortSignal;
  onLine?: (line: string, stream: StreamName) => void;
  /** Stop after this long (0/undefined = never). */
  timeoutMs?: number;
  /** Stop after this long without a line on either stream (0/undefined = never). */
  inactivityMs?: number;
  /** Call onStuck once per silent stretch of this length. */
  stuckMs?: number;
  onStuck?: (silentForMs: number) => void;
  /** Time between SIGTERM and the next rung of the ladder. Default 5000. */
  killGraceMs?: number;
  /**
   * Start the process in its own process group and signal the whole group
   * (execa's own cleanup kills only the direct child; DESIGN.md, "Processes").
   */
  processGroup?: boolean;
  /**
   * A rung between SIGTERM and SIGKILL (e.g. `docker kill` of the container
   * behind a compose client). After it, the process gets killGraceMs more to
   * exit by itself before SIGKILL.
   */
  beforeForceKill?: () => Promise<void>;
}

export type StopCause = 'cancelled' | 'timeout' | 'inactive';

export interface StreamingResult {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  inactive: boolean;
  /** What the process said on stderr last (a few lines): for readable reasons. */
  stderrTail: string[];
  /** The process could not be started at all (e.g. ENOENT). */
  spawnError: string | null;
}

const STDERR_TAIL = 5;
const PIPE_DRAIN_MS = 200;

export async function runStreaming(argv: string[], options: StreamingOptions = {}): Promise<StreamingResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runStreaming: empty argv');
  const started = Date.now();
  const stderrTail: string[] = [];
  let lastOutput = started;
  let stopCause: StopCause | null = null;
  let exited = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  // The silence timers are not re-armed per line (at 20,000 lines/s that was
  // two clearTimeout + setTimeout per line): a line only stamps lastOutput,
  // and a timer that fires early re-arms itself for the rest of the silence.
  let inactivityTimer: NodeJS.Timeout | undefined;
  let stuckTimer: NodeJS.Timeout | undefined;
  const armInactivity = (ms: number) => {
    inactivityTimer = later(ms, () => {
      inactivityTimer = undefined;
      if (stopCause) return;
      const silent = Date.now() - lastOutput;
      if (silent >= options.inactivityMs!) void stop('inactive');
      else armInactivity(options.inactivityMs! - silent);
    });
  };
  const armStuck = (ms: number) => {
    stuckTimer = later(ms, () => {
      stuckTimer = undefined;
      if (stopCause) return;
      const silent = Date.now() - lastOutput;
      // Once per silent stretch: the next line arms it again.
      if (silent >= options.stuckMs!) options.onStuck?.(silent);
      else armStuck(options.stuckMs! - silent);
    });
  };
  const armSilenceTimers = () => {
    if (options.inactivityMs && options.inactivityMs > 0 && !inactivityTimer) armInactivity(options.inactivityMs);
    if (options.stuckMs && options.stuckMs > 0 && options.onStuck && !stuckTimer) armStuck(options.stuckMs);
  };
  const line = (stream: StreamName) => (s: string) => {
    lastOutput = Date.now();
    if (!stopCause) armSilenceTimers();
    if (stream === 'stderr') {
      stderrTail.push(s);
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    }
    options.onLine?.(s, stream);
  };

  const child = execa(file, args, {
    env: options.env,
    extendEnv: true,
    cwd: options.cwd,
    // The default 100 MB maxBuffer kills a chatty child: never buffer, hand
    // each line over as it comes (DESIGN.md, "Processes").
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    detached: options.processGroup === true,
    // We run the kill ladder ourselves.
    forceKillAfterDelay: false,
  });

  // Lines are split here, not by execa (see LineSplitter).
  const splitters = ([['stdout', child.stdout], ['stderr', child.stderr]] as const).map(([name, stream]) => {
    const splitter = new LineSplitter(line(name));
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => splitter.push(chunk));
    stream?.on('end', () => splitter.end());
    return splitter;
  });

  const send = (sig: NodeJS.Signals) => {
    if (exited) return;
    try {
      if (options.processGroup && child.pid) process.kill(-child.pid, sig);
      else if (!processGone) child.kill(sig);
    } catch {
      // Already gone.
    }
  };
  const grace = options.killGraceMs ?? 5000;
  // The process itself is gone ('exit'), even if a grandchild still holds its
  // pipes open (then `await child` would wait for the grandchild).
  let processGone = false;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      processGone = true;
      resolve();
    });
    child.then(
      () => resolve(),
      () => resolve(),
    );
  });
  const waitExit = (ms: number) =>
    Promise.race([gone.then(() => true), new Promise<boolean>((r) => later(ms, () => r(false)))]);
  // After a stop, output still pending in the pipes gets a moment, then the
  // pipes are closed so that a surviving grandchild cannot hold us.
  const releasePipes = () =>
    later(PIPE_DRAIN_MS, () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    });

  async function stop(cause: StopCause): Promise<void> {
    if (stopCause || exited) return;
    stopCause = cause;
    // What the process says while it is being stopped is not activity.
    for (const t of [inactivityTimer, stuckTimer]) if (t) clearTimeout(t), timers.delete(t);
    if (processGone) {
      // Only grandchildren are left: end them (group) and stop waiting for them.
      if (options.processGroup) send('SIGKILL');
      releasePipes();
      return;
    }
    send('SIGTERM');
    if (!(await waitExit(grace))) {
      if (options.beforeForceKill) {
        await options.beforeForceKill().catch(() => undefined);
      }
      if (!processGone && !(await waitExit(options.beforeForceKill ? grace : 0))) send('SIGKILL');
      await waitExit(grace);
    }
    if (options.processGroup) send('SIGKILL');
    releasePipes();
  }

  const onAbort = () => void stop('cancelled');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.timeoutMs && options.timeoutMs > 0) later(options.timeoutMs, () => void stop('timeout'));
  armSilenceTimers();

  const result = await child;
  exited = true;
  for (const splitter of splitters) splitter.end();
  options.signal?.removeEventListener('abort', onAbort);
  // A process group may outlive its leader (a grandchild holding on): make sure
  // nothing of it survives a stop.
  if (stopCause && options.processGroup && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Group empty.
    }
  }
  for (const t of timers) clearTimeout(t);
  timers.clear();

  const spawnError =
    result.exitCode === undefined && result.signal === undefined && result.failed
      ? (result.originalMessage ?? result.shortMessage ?? 'could not start')
      : null;
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    durationMs: Date.now() - started,
    timedOut: stopCause === 'timeout',
    cancelled: stopCause === 'cancelled',
    inactive: stopCause === 'inactive',
    stderrTail,
    spawnError,
  };
}

export interface CaptureOptions {
  env?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
  /** Default 30 s: a short command that hangs is an error, not a wait. */
  timeoutMs?: number;
}

export interface CaptureResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The program could not be started (ENOENT, EACCES): the message. */
  spawnError: string | null;
  timedOut: boolean;
}

/** Run a short command and collect its output. Never throws for a failed command. */
export async function capture(argv: string[], options: CaptureOptions = {}): Promise<CaptureResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('capture: empty argv');
  const result = await execa(file, args, {
    env: options.env,
    extendEnv: true,
    cwd: options.cwd,
    stdin: 'ignore',
    reject: false,
    cancelSignal: options.signal,
    timeout: options.timeoutMs ?? 30_000,
    forceKillAfterDelay: 2000,
    maxBuffer: 16 * 1024 * 1024,
    stripFinalNewline: true,
  });
  const notStarted = result.exitCode === undefined && result.signal === undefined && result.failed;
  return {
    exitCode: result.exitCode ?? null,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    spawnError: notStarted ? (result.originalMessage ?? result.shortMessage ?? 'could not start') : null,
    timedOut: result.timedOut === true,
  };
}

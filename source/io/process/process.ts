// The one wrapper around execa. Every external program lemtui starts goes
// through runStreaming (long, chatty commands) or capture (short ones), by argv
// array, never a shell string.
import { execa } from 'execa';
import { KillLadder } from './killLadder.js';
import { launchArgv } from './launch.js';
import { LineSplitter } from './lineSplitter.js';
import { SilenceWatchdog } from './silenceWatchdog.js';
import { traceCall } from './trace.js';

export type StreamName = 'stdout' | 'stderr';

export interface StreamingOptions {
  /** Merged over process.env. */
  env?: Record<string, string>;
  cwd?: string;
  /** Aborting it stops the process (see KillLadder). */
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
  /** A rung before SIGTERM (KillLadder's askFirst): e.g. scancel of the Slurm job behind an srun. */
  askFirst?: () => Promise<void>;
  /** Called at once with the pid of a process that started (not for one that could not be started). */
  onSpawn?: (pid: number) => void;
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

export async function runStreaming(given: string[], options: StreamingOptions = {}): Promise<StreamingResult> {
  const argv = launchArgv(given);
  const [file, ...args] = argv;
  if (!file) throw new Error('runStreaming: empty argv');
  const started = Date.now();
  const stderrTail: string[] = [];
  let stopCause: StopCause | null = null;
  let exited = false;

  const watchdog = new SilenceWatchdog(
    { inactivityMs: options.inactivityMs, onSilent: () => void stop('inactive'), stuckMs: options.stuckMs, onStuck: options.onStuck },
    started,
  );
  const line = (stream: StreamName) => (s: string) => {
    watchdog.heard();
    if (stream === 'stderr') {
      stderrTail.push(s);
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    }
    options.onLine?.(s, stream);
  };

  const traced = traceCall(argv);
  const child = spawnStreaming(file, args, options);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const splitters = splitLines(child, line);

  const ladder = new KillLadder(child, {
    graceMs: options.killGraceMs ?? 5000,
    processGroup: options.processGroup === true,
    beforeForceKill: options.beforeForceKill,
    askFirst: options.askFirst,
  });
  function stop(cause: StopCause): Promise<void> {
    if (stopCause || exited) return Promise.resolve();
    stopCause = cause;
    watchdog.stop();
    return ladder.stop();
  }

  // A group leader killed by a signal we did not send (the OOM killer): what
  // it started would hold its pipes (and its GPUs) as long as it runs. The
  // ladder, finding the process gone, ends the group and releases the pipes.
  if (options.processGroup) {
    child.once('exit', (_code: number | null, signal: NodeJS.Signals | null) => {
      if (signal && !stopCause) void ladder.stop();
    });
  }
  const onAbort = () => void stop('cancelled');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = options.timeoutMs && options.timeoutMs > 0 ? setTimeout(() => void stop('timeout'), options.timeoutMs) : undefined;
  watchdog.arm();

  const result = await child;
  traced({ exitCode: result.exitCode ?? null });
  exited = true;
  for (const splitter of splitters) splitter.end();
  options.signal?.removeEventListener('abort', onAbort);
  ladder.reaped();
  watchdog.stop();
  clearTimeout(deadline);

  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    durationMs: Date.now() - started,
    timedOut: stopCause === 'timeout',
    cancelled: stopCause === 'cancelled',
    inactive: stopCause === 'inactive',
    stderrTail,
    spawnError: spawnErrorOf(result),
  };
}

function spawnStreaming(file: string, args: string[], options: StreamingOptions) {
  return execa(file, args, {
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
}

/** Lines are split here, not by execa (see LineSplitter). */
function splitLines(child: ReturnType<typeof spawnStreaming>, line: (stream: StreamName) => (s: string) => void): LineSplitter[] {
  return ([['stdout', child.stdout], ['stderr', child.stderr]] as const).map(([name, stream]) => {
    const splitter = new LineSplitter(line(name));
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => splitter.push(chunk));
    stream?.on('end', () => splitter.end());
    return splitter;
  });
}

/** The program could not be started at all (ENOENT, EACCES): execa's message; null when it ran. */
function spawnErrorOf(result: { exitCode?: number; signal?: string; failed: boolean; originalMessage?: string; shortMessage?: string }): string | null {
  const notStarted = result.exitCode === undefined && result.signal === undefined && result.failed;
  return notStarted ? (result.originalMessage ?? result.shortMessage ?? 'could not start') : null;
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
export async function capture(given: string[], options: CaptureOptions = {}): Promise<CaptureResult> {
  const argv = launchArgv(given);
  const [file, ...args] = argv;
  if (!file) throw new Error('capture: empty argv');
  const cancel = new AbortController();
  const traced = traceCall(argv);
  const subprocess = execa(file, args, {
    env: options.env,
    extendEnv: true,
    cwd: options.cwd,
    stdin: 'ignore',
    reject: false,
    cancelSignal: cancel.signal,
    timeout: options.timeoutMs ?? 30_000,
    forceKillAfterDelay: 2000,
    maxBuffer: 16 * 1024 * 1024,
    stripFinalNewline: true,
  });
  // Cancel only a process that started: killing one whose spawn has not yet
  // failed (ENOENT) signals pid 0, our own process group (see KillLadder.send).
  const onAbort = () => (subprocess.pid !== undefined ? cancel.abort() : subprocess.once('spawn', () => cancel.abort()));
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const result = await subprocess.finally(() => options.signal?.removeEventListener('abort', onAbort));
  traced({ exitCode: result.exitCode ?? null });
  return {
    exitCode: result.exitCode ?? null,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    spawnError: spawnErrorOf(result),
    timedOut: result.timedOut === true,
  };
}

// Local dispatch: the harness on the host (no Docker), as a child process in
// its own process group, so a cancel or timeout kills the harness and
// everything it started (execa's cleanup kills only the direct child). Each
// harness group is recorded in the state dir while it runs
// (compose/localRunRecords.ts): a later start stops what a SIGKILLed lem-tui left
// running (compose/localLeftovers.ts). A harness killed by a signal lem-tui did not
// send (the OOM killer) is the fault a container reports as 137/143: its
// group is ended and the run is retryable.
import type { ContainerState } from '../domain/containerState.js';
import type { Dispatcher } from './types.js';
import type { DispatchRequest, RunOptions, RunOutcome } from '../domain/runRequest.js';
import { maskSecrets } from '../compose/argv.js';
import { recordLocalRun } from '../compose/localRunRecords.js';
import { stopGroups } from '../io/process/processGroups.js';
import { runStreaming } from '../io/process/process.js';
import { toRunOutcome } from '../compose/runOutcome.js';
import type { StreamingResult } from '../io/process/process.js';
import { ShutdownGate } from './shutdownGate.js';

export interface LocalDispatcherOptions {
  cwd?: string;
  /** SIGTERM → SIGKILL of the whole group after this long. Default 5000. */
  killGraceMs?: number;
  /** The campaign's state dir: where each running harness group is recorded. Absent: not recorded. */
  stateDir?: string;
}

export function createLocalDispatcher(options: LocalDispatcherOptions = {}): Dispatcher {
  const running = new Set<AbortController>();
  // Shutdown waits for the runs it cancels: their kill ladder ends the
  // harness's process group (SIGKILL after the grace); leaving before that
  // would leave a harness that ignores SIGTERM running.
  const gate = new ShutdownGate();
  return {
    capabilities: { keepsServicesUp: false, restartsServices: false, coldStart: false },
    commands: { up: null, down: null, stopHint: null },
    async prepare() {},
    run(req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
      return gate.track(runHere(req, opts));
    },
    /** `env K=V... argv`: the same command as a line a shell would run, secrets masked. */
    describe(req: DispatchRequest): string[] {
      const assignments = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
      return maskSecrets(assignments.length > 0 ? ['env', ...assignments, ...req.argv] : [...req.argv], req.secretKeys);
    },
    async restart() {},
    shutdown() {
      return gate.close(
        async () => {},
        () => {
          for (const c of running) c.abort();
        },
      );
    },
    async leftRunning() {
      return null;
    },
    onState(_listener: (state: ContainerState) => void) {
      return () => {};
    },
  };

  async function runHere(req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
    // Shutdown aborts this one too, besides the caller's signal.
    const own = new AbortController();
    running.add(own);
    let forget = (): void => {}; // removes the run's record once it is recorded
    let group: number | null = null;
    const graceMs = options.killGraceMs ?? 5000;
    try {
      const r = await runStreaming(req.argv, {
        env: req.env, // merged over process.env
        cwd: options.cwd,
        signal: AbortSignal.any([opts.signal, own.signal]),
        onLine: opts.onLine,
        onStuck: opts.onStuck,
        timeoutMs: req.timeoutMs,
        inactivityMs: req.inactivityMs,
        stuckMs: req.stuckMs,
        killGraceMs: graceMs,
        processGroup: true,
        onSpawn: (pgid) => {
          group = pgid;
          if (!options.stateDir) return;
          try {
            forget = recordLocalRun(options.stateDir, { pgid, expId: req.expId, gpus: req.gpus ?? [] });
          } catch {
            // An unwritable state dir: the run goes on, unrecorded (the manifest's write reports that dir's fault).
          }
        },
      });
      const outcome = toRunOutcome(r, req);
      if (!killedFromOutside(r)) return outcome;
      // What it started may run on without it: nothing of it may meet the retry on its GPUs.
      if (group !== null) await stopGroups([group], graceMs);
      return { ...outcome, retryable: true };
    } finally {
      forget();
      running.delete(own);
    }
  }
}

/** Ended by SIGKILL or SIGTERM that lem-tui did not send (its own stops are cancelled or timed out). */
function killedFromOutside(r: StreamingResult): boolean {
  if (r.cancelled || r.timedOut || r.inactive || r.exitCode !== null) return false;
  return r.signal === 'SIGKILL' || r.signal === 'SIGTERM';
}

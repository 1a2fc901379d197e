// An in-memory Dispatcher for the engine's tests: no process, no timer. Each
// run stays open until the test ends it (or its AbortSignal does), so the
// test decides when experiments finish and can see how many run at once.
import type { Dispatcher, DispatcherCapabilities } from '../../source/dispatch/types.js';
import type { DispatchRequest, RunOutcome } from '../../source/domain/runRequest.js';

export interface HeldRun {
  request: DispatchRequest;
  signal: AbortSignal;
  /** End the run with this exit code (0 by default); a no-op once it has ended. */
  finish: (exitCode?: number) => void;
  ended: boolean;
}

export interface FakeDispatcherOptions {
  capabilities?: Partial<DispatcherCapabilities>;
  gpuMemory?: Dispatcher['gpuMemory'];
  /** restart(service) rejects with this message. */
  restartFails?: string;
}

export function fakeDispatcher(options: FakeDispatcherOptions = {}) {
  const calls: string[] = [];
  const runs: HeldRun[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const outcome = (exitCode: number | null, cancelled: boolean): RunOutcome => ({
    exitCode,
    signal: null,
    durationMs: 1,
    timedOut: false,
    cancelled,
    reason: null,
  });
  const dispatcher: Dispatcher = {
    capabilities: { keepsServicesUp: false, restartsServices: false, coldStart: false, ...options.capabilities },
    commands: { up: null, down: null, stopHint: null },
    prepare: async () => void calls.push('prepare'),
    run: (request, { signal }) =>
      new Promise<RunOutcome>((resolve) => {
        calls.push(`run ${request.expId}`);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        const held: HeldRun = { request, signal, ended: false, finish: () => {} };
        const end = (result: RunOutcome) => {
          if (held.ended) return;
          held.ended = true;
          running -= 1;
          resolve(result);
        };
        held.finish = (exitCode = 0) => end(outcome(exitCode, false));
        runs.push(held);
        if (signal.aborted) end(outcome(null, true));
        signal.addEventListener('abort', () => end(outcome(null, true)), { once: true });
      }),
    describe: () => ['fake'],
    restart: async (service) => {
      calls.push(`restart ${service}`);
      if (options.restartFails) throw new Error(options.restartFails);
    },
    shutdown: async () => void calls.push('shutdown'),
    leftRunning: async () => null,
    gpuMemory: options.gpuMemory,
    onState: () => () => {},
  };
  if (!options.gpuMemory) delete dispatcher.gpuMemory;
  return {
    dispatcher,
    calls,
    runs,
    /** Runs not yet ended, oldest first. */
    open: () => runs.filter((r) => !r.ended),
    mostAtOnce: () => mostAtOnce,
  };
}

/** Resolves once `test` holds, checking every few milliseconds (fails after `timeoutMs`). */
export async function until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

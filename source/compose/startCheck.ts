// After `up -d`: did every service stay up? A container whose entrypoint
// exits at once is "started" for compose; the engine's state says otherwise.
import type { EngineWatcher } from './engineWatcher.js';
import { ServiceStartError } from './serviceStartError.js';

/** How long a service must have stayed up since its container started. */
const START_CHECK_MS = 300;

/**
 * Throws ServiceStartError (and says so on the service) for the first
 * service not running START_CHECK_MS after its start. When the event stream
 * has every service's start (it usually has: `up -d` returns after the start
 * events), it is the witness: a `die` in the wait would be in it too, so the
 * engine is not asked. Else the engine is asked before and after the wait.
 */
export async function checkStayedUp(watcher: EngineWatcher, services: string[], signal: AbortSignal): Promise<void> {
  const fromEvents = services.every((s) => {
    const st = watcher.state(s);
    return st?.status === 'running' && st.startedAt !== null;
  });
  if (!fromEvents) await watcher.reconcile();
  // v1's `up -d` returns a few hundred ms after the start, so this rarely
  // waits (it was a fixed 300 ms sleep after `up`).
  const settle = Math.max(
    0,
    ...services.map((s) => {
      const startedAt = watcher.state(s)?.startedAt;
      return startedAt ? Math.min(START_CHECK_MS, startedAt + START_CHECK_MS - Date.now()) : 0;
    }),
  );
  if (settle > 0) await sleep(settle, signal);
  if (settle > 0 && !fromEvents) await watcher.reconcile();
  for (const s of services) {
    const st = watcher.state(s);
    if (st?.status !== 'running') {
      const code = st?.lastExitCode ?? null;
      const msg = `service ${s} exited right after start (exit ${code ?? '?'}): check its image's entrypoint and command`;
      watcher.track(s, { message: msg });
      throw new ServiceStartError(msg, s);
    }
  }
}

/** Wait `ms`, or less when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

// After `up -d`: did every service stay up? A container whose entrypoint
// exits at once is "started" for compose; the engine's state says otherwise.
//
// A service has stayed up when its keep-alive command runs (the image's
// entrypoint has handed over to it, so it can no longer fail), or when it has
// been running START_CHECK_MS since its start. A die in the event stream ends
// the wait at once. The keep-alive is asked of `docker top`, which answers in
// well under START_CHECK_MS and usually sees it at the first look.
import type { EngineWatcher } from './engineWatcher.js';
import { capture } from '../io/process/process.js';
import { ServiceStartError } from './serviceStartError.js';

/** How long a service must have stayed up since its container started, when its keep-alive is not seen first. */
const START_CHECK_MS = 300;
/** Between two looks at `docker top` while the entrypoint still runs. */
const TOP_POLL_MS = 50;

export interface StayedUpCheck {
  watcher: EngineWatcher;
  /** The engine's CLI (`docker`, `podman`), for `top`. */
  cli: string;
  services: string[];
  /** The command our override keeps each service alive with (["sleep", "infinity"]); null: the service's own command, so only the time rule. */
  keepAlive: readonly string[] | null;
  signal: AbortSignal;
}

/**
 * Throws ServiceStartError (and says so on the service) for the first
 * service not running after its check. When the event stream has every
 * service's start (it usually has: `up -d` returns after the start events),
 * it is the witness: a `die` would be in it too, so the engine is not asked
 * for the state. Else the engine is asked before and after the wait.
 */
export async function checkStayedUp(check: StayedUpCheck): Promise<void> {
  const { watcher, services, signal } = check;
  const fromEvents = services.every((s) => {
    const st = watcher.state(s);
    return st?.status === 'running' && st.startedAt !== null;
  });
  if (!fromEvents) await watcher.reconcile();
  const waited = await Promise.all(services.map((s) => waitStayedUp(check, s)));
  if (waited.some(Boolean) && !fromEvents) await watcher.reconcile();
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

/** Wait until `service` has stayed up (see the top of the file); true when it waited at all. */
async function waitStayedUp(check: StayedUpCheck, service: string): Promise<boolean> {
  const st = check.watcher.state(service);
  if (st?.status !== 'running' || !st.startedAt || !st.containerId) return false;
  // v1's `up -d` returns a few hundred ms after the start, so this is often 0.
  const settle = Math.min(START_CHECK_MS, st.startedAt + START_CHECK_MS - Date.now());
  if (settle <= 0) return false;
  const done = new AbortController();
  const signal = AbortSignal.any([check.signal, done.signal]);
  try {
    await Promise.race([
      sleep(settle, signal),
      check.watcher.waitFor(service, (s) => s.status !== 'running', settle),
      check.keepAlive ? keepAliveSeen(check.cli, st.containerId, check.keepAlive, signal) : new Promise<void>(() => {}),
    ]);
  } finally {
    done.abort();
  }
  return true;
}

/** Resolves once `docker top` lists the keep-alive command in the container; never when `top` cannot tell. */
async function keepAliveSeen(cli: string, containerId: string, keepAlive: readonly string[], signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const top = await capture([cli, 'top', containerId, '-o', 'pid,args'], { timeoutMs: 5000, signal });
    if (top.exitCode !== 0) break; // an engine whose `top` takes no ps options: the time rule decides
    if (topRunsCommand(top.stdout, keepAlive)) return;
    await sleep(TOP_POLL_MS, signal);
  }
  return new Promise<void>(() => {});
}

/**
 * Does `top -o pid,args` output list a process whose whole command line is
 * `command`? The init process (`docker-init -- sleep infinity`) and an
 * entrypoint script (`sh /entrypoint.sh sleep infinity`) carry it as
 * arguments, and do not count: only the keep-alive itself, once exec'd.
 */
export function topRunsCommand(output: string, command: readonly string[]): boolean {
  const want = command.join(' ');
  return output
    .split('\n')
    .slice(1)
    .some((line) => line.trim().replace(/^\d+\s+/, '') === want);
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

// Ephemeral dispatch: one `compose run --rm -T --name <known name>` per
// experiment. `run --rm` is not a guarantee (if the client is killed, the
// container stays: v1 removes it client-side, v2 leaves it to the daemon),
// so a stop escalates: SIGTERM to the client's process group → after a grace
// `docker kill` of the container by name → SIGKILL of the group → `docker rm
// -f` by name (DESIGN.md, "Containers and cleanup").
import type { ComposeTarget } from '../compose/types.js';
import type { ContainerState } from '../domain/containerState.js';
import type { Dispatcher } from './types.js';
import type { DispatchRequest, RunOptions, RunOutcome } from '../domain/runRequest.js';
import { downArgv, engineKillArgv, engineStopArgv, ephemeralContainerName, ephemeralRunArgv, maskSecrets, secretEnv, userCommand } from '../compose/argv.js';
import { ShutdownGate } from './shutdownGate.js';
import { forceRemove, listProjectContainers } from '../compose/cleanup.js';
import { sweepAfterDown } from '../compose/sweepAfterDown.js';
import { composeClientEnv } from '../compose/clientEnv.js';
import { EngineWatcher } from '../compose/engineWatcher.js';
import { engineCli } from '../compose/flavour.js';
import { capture, runStreaming } from '../io/process/process.js';
import { toRunOutcome } from '../compose/runOutcome.js';

export interface EphemeralDispatcherOptions {
  target: ComposeTarget;
  /** SIGTERM → docker kill → SIGKILL, each rung after this long. Default 5000. */
  killGraceMs?: number;
  /** `down -t` at teardown. Default 10. */
  stopGraceSeconds?: number;
  /** Extra environment for the compose client (merged over composeClientEnv()). */
  clientEnv?: Record<string, string>;
  reconcileMs?: number;
  onLog?: (line: string) => void;
}

export interface EphemeralDispatcher extends Dispatcher {
  /** The container name the next run of `expId` will get (for logs and tests). */
  nextContainerName(expId: string, gpus?: readonly string[]): string;
}

export function createEphemeralDispatcher(options: EphemeralDispatcherOptions): EphemeralDispatcher {
  const { target } = options;
  const cli = engineCli(target);
  const watcher = new EngineWatcher({ cli, project: target.project, reconcileMs: options.reconcileMs });
  const attempts = new Map<string, number>();
  const running = new Set<AbortController>();
  const gate = new ShutdownGate();
  const stopGraceSeconds = options.stopGraceSeconds ?? 10;
  const down = downArgv(target, stopGraceSeconds);
  const grace = options.killGraceMs ?? 5000;
  const kill = (names: string[]) => capture(engineKillArgv(cli, names), { timeoutMs: 15_000 });
  const oneOff: OneOffContext = { target, cli, graceMs: grace, clientEnv: options.clientEnv, onLog: options.onLog, watcher, kill };

  const nextContainerName = (expId: string, gpus?: readonly string[]) =>
    ephemeralContainerName(target.project, expId, (attempts.get(expId) ?? 0) + 1, gpus);

  return {
    capabilities: { keepsServicesUp: false, restartsServices: false, coldStart: false },
    commands: { up: null, down, stopHint: userCommand(down, composeClientEnv()) },
    nextContainerName,
    async prepare() {
      await watcher.start();
    },
    adoptListing(listing) {
      watcher.adopt(listing);
    },
    async run(req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
      const attempt = (attempts.get(req.expId) ?? 0) + 1;
      attempts.set(req.expId, attempt);
      const name = ephemeralContainerName(target.project, req.expId, attempt, req.gpus);
      // Shutdown aborts this one too, besides the caller's signal.
      const own = new AbortController();
      running.add(own);
      try {
        return await runOneOff(oneOff, name, req, { ...opts, signal: AbortSignal.any([opts.signal, own.signal]) });
      } finally {
        running.delete(own);
      }
    },
    describe(req: DispatchRequest): string[] {
      return maskSecrets(ephemeralRunArgv(target, req, nextContainerName(req.expId, req.gpus)), req.secretKeys);
    },
    restart(service: string) {
      return gate.restart(() => killRunning(service));
    },
    shutdown() {
      return gate.close(
        async () => {
          const result = await runStreaming(down, {
            env: composeClientEnv(options.clientEnv),
            processGroup: true,
            timeoutMs: (stopGraceSeconds + 60) * 1000,
            onLine: (l) => options.onLog?.(l),
          });
          if (result.exitCode !== 0) options.onLog?.(`compose down failed: ${result.stderrTail.at(-1) ?? result.exitCode}`);
          await sweepAfterDown(cli, target.project, watcher, result.exitCode === 0);
          await watcher.stop();
        },
        () => {
          for (const c of running) c.abort();
        },
      );
    },
    async leftRunning() {
      return null;
    },
    onState(listener: (state: ContainerState) => void) {
      return watcher.onState(listener);
    },
  };

  /** Kill the service's running one-off container(s): the run in it ends with 137. */
  async function killRunning(service: string): Promise<void> {
    const ids = (await listProjectContainers(cli, target.project))
      .filter((c) => c.service === service && (c.state === 'running' || c.state === 'paused'))
      .map((c) => c.id);
    if (ids.length > 0) await kill(ids);
  }
}

/** What a one-off run needs of its dispatcher. */
interface OneOffContext {
  target: ComposeTarget;
  cli: string;
  graceMs: number;
  clientEnv: Record<string, string> | undefined;
  onLog: ((line: string) => void) | undefined;
  watcher: EngineWatcher;
  kill: (names: string[]) => Promise<unknown>;
}

/** One experiment in a one-off container named `name`, stopped by the full ladder and removed after a stop. */
async function runOneOff(ctx: OneOffContext, name: string, req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
  const { cli, graceMs: grace } = ctx;
  const r = await runStreaming(ephemeralRunArgv(ctx.target, req, name), {
    env: composeClientEnv({ ...ctx.clientEnv, ...secretEnv(req) }),
    signal: opts.signal,
    onLine: opts.onLine,
    onStuck: opts.onStuck,
    timeoutMs: req.timeoutMs,
    inactivityMs: req.inactivityMs,
    stuckMs: req.stuckMs,
    killGraceMs: grace,
    processGroup: true,
    beforeForceKill: async () => {
      ctx.onLog?.(`${name} did not stop within ${grace} ms: docker kill`);
      await ctx.kill([name]);
    },
  });
  const stopped = r.cancelled || r.timedOut || r.inactive || r.signal !== null;
  if (stopped) {
    // v2's client ends at once on SIGTERM and leaves the container
    // running (v1 stops it first): give what runs in it the same grace
    // through the engine before removing it.
    const outlived = await capture(engineStopArgv(cli, [name], Math.ceil(grace / 1000)), { timeoutMs: grace + 15_000 });
    if (outlived.exitCode === 0) ctx.onLog?.(`${name} outlived its compose client: docker stop -t ${Math.ceil(grace / 1000)}`);
    await forceRemove(cli, [name]);
  }
  return toRunOutcome(r, req, { oomKilled: ctx.watcher.isOomKilled(req.service) });
}

// The persistent strategy: services started once with `up -d`, experiments
// run with `exec`, everything stopped with `down` at the end.
import os from 'node:os';
import path from 'node:path';
import type { ComposeTarget, ContainerState } from './types.js';
import type { DispatchRequest, LeftRunning, RunOptions, RunOutcome } from '../domain/runRequest.js';
import { composeArgv, downArgv, execArgv, secretEnv, upArgv } from './argv.js';
import { killProjectService, listProjectContainers } from './cleanup.js';
import { sweepAfterDown } from './sweepAfterDown.js';
import { composeClientEnv } from './clientEnv.js';
import { EngineWatcher } from './engineWatcher.js';
import { exitReason } from '../io/process/exitReasons.js';
import { engineCli } from './flavour.js';
import { KEEP_ALIVE_COMMAND, overridePath, writeOverrideFile } from './override.js';
import { serviceForSlot, servicesNamed, startedServices, type PersistentGpuSlot } from './gpuServices.js';
import { NVIDIA_SMI_MEMORY_ARGV, parseNvidiaSmiMemory, type GpuMemory } from '../io/nvidia/gpuMemory.js';
import { capture, runStreaming, type StreamingResult } from '../io/process/process.js';
import { toRunOutcome } from './runOutcome.js';
import { ServiceStartError } from './serviceStartError.js';
import { checkStayedUp, sleep } from './startCheck.js';

// Where they lived before the split (test/integration imports them from here).
export { ServiceStartError } from './serviceStartError.js';
export { withContainers } from './withContainers.js';

export interface ContainerManagerOptions {
  /** Project and the user's compose file(s); the generated override is added after them. */
  target: ComposeTarget;
  services: string[];
  /** Wait after `up -d` before the first experiment (the campaign's warmup_delay). */
  warmupDelayMs?: number;
  /** `down -t`: seconds a container gets between SIGTERM and SIGKILL. Default 10. */
  stopGraceSeconds?: number;
  /** Where the override file is written. Default: <tmpdir>/lem-tui. */
  stateDir?: string;
  /** Extra environment for every compose call (merged over composeClientEnv()). */
  clientEnv?: Record<string, string>;
  /** Grace between SIGTERM and SIGKILL of a compose client we stop. Default 2000. */
  killGraceMs?: number;
  /** Output of up/down and of our own actions, for the log pane. */
  onLog?: (line: string) => void;
  reconcileMs?: number;
  /** Skip the generated keep-alive override (when the compose file already keeps services alive). */
  noOverride?: boolean;
  /**
   * With --gpus: one long-lived service per (service, slot), `gpuServiceName`
   * ("pytorch-gpu0"), started instead of the services themselves. Null or
   * absent: the services themselves, as without --gpus. Needs the override.
   */
  gpuSlots?: PersistentGpuSlot[] | null;
}

export interface StopReport {
  /** Containers `down` missed and `rm -f` removed. */
  forceRemoved: string[];
  failed: string[];
}

const RUNNING_WAIT_MS = 15_000;

export class ContainerManager {
  readonly watcher: EngineWatcher;
  readonly cli: string;
  private target: ComposeTarget;
  private started = false;
  private stopped: Promise<StopReport> | null = null;
  private readonly upServices: string[];

  constructor(private readonly options: ContainerManagerOptions) {
    const files = [...options.target.files];
    if (!options.noOverride) files.push(overridePath(this.overrideDir, options.target.project));
    this.target = { ...options.target, files };
    this.cli = engineCli(options.target);
    this.watcher = new EngineWatcher({ cli: this.cli, project: options.target.project, reconcileMs: options.reconcileMs });
    this.upServices = startedServices(options.services, options.gpuSlots ?? null);
    for (const s of this.upServices) this.watcher.track(s);
  }

  private get overrideDir(): string {
    return this.options.stateDir ?? path.join(os.tmpdir(), 'lem-tui');
  }

  get project(): string {
    return this.target.project;
  }

  get services(): string[] {
    return this.options.services;
  }

  /** What `up -d` starts and the watcher shows: the per-GPU services with GPU slots, else `services`. */
  get startedServices(): string[] {
    return this.upServices;
  }

  /** The service that runs `service`'s experiments on `gpus` (its per-GPU service with GPU slots). */
  serviceFor(service: string, gpus?: readonly string[]): string {
    return serviceForSlot(service, gpus, this.options.gpuSlots ?? null);
  }

  /** `down -t`: seconds a container gets between SIGTERM and SIGKILL. */
  get stopGraceSeconds(): number {
    return this.options.stopGraceSeconds ?? 10;
  }

  /** The compose target, the generated override file last (written by startAll). */
  get composeTarget(): ComposeTarget {
    return this.target;
  }

  states(): ContainerState[] {
    return this.watcher.states();
  }

  onState(listener: (s: ContainerState) => void): () => void {
    return this.watcher.onState(listener);
  }

  private env(extra: Record<string, string> = {}): Record<string, string> {
    return composeClientEnv({ ...this.options.clientEnv, ...extra });
  }

  private log(line: string): void {
    this.options.onLog?.(line);
  }

  private async compose(argv: string[], signal?: AbortSignal, timeoutMs = 120_000): Promise<StreamingResult> {
    return runStreaming(argv, {
      env: this.env(),
      signal,
      timeoutMs,
      processGroup: true,
      killGraceMs: this.options.killGraceMs ?? 2000,
      onLine: (l) => this.log(l),
    });
  }

  /** GPU memory as nvidia-smi in the running service sees it; null when it cannot tell. */
  async gpuMemory(service: string): Promise<GpuMemory[] | null> {
    if (this.watcher.state(service)?.status !== 'running') return null;
    const argv = composeArgv(this.target, 'exec', '-T', service, ...NVIDIA_SMI_MEMORY_ARGV);
    const r = await capture(argv, { env: this.env(), timeoutMs: 30_000 });
    return r.exitCode === 0 ? parseNvidiaSmiMemory(r.stdout) : null;
  }

  /** Write the override, start watching, `up -d` every service, then warm up. */
  async startAll(signal: AbortSignal): Promise<void> {
    if (!this.started) {
      this.started = true;
      if (!this.options.noOverride) {
        await writeOverrideFile({
          dir: this.overrideDir,
          project: this.target.project,
          services: this.options.services,
          baseFiles: this.options.target.files,
          gpuSlots: this.options.gpuSlots,
        });
      }
      await this.watcher.start();
    }
    for (const s of this.upServices) this.watcher.track(s, { status: 'starting', message: null });
    const up = await this.compose(upArgv(this.target, this.upServices), signal);
    if (up.cancelled) throw new ServiceStartError('cancelled while starting the services', null);
    if (up.exitCode !== 0) {
      const why = up.stderrTail.at(-1) ?? exitReason({ ...up, timeoutMs: 120_000 }) ?? 'failed';
      throw new ServiceStartError(`compose up failed: ${why}`, null);
    }
    if (this.options.warmupDelayMs) await sleep(this.options.warmupDelayMs, signal);
    const keepAlive = this.options.noOverride ? null : KEEP_ALIVE_COMMAND;
    await checkStayedUp({ watcher: this.watcher, cli: this.cli, services: this.upServices, keepAlive, signal });
  }

  /** Run one experiment in its service. A service that is not running is started first (counted as a restart). */
  async exec(service: string, req: DispatchRequest, options: RunOptions): Promise<RunOutcome> {
    const began = Date.now();
    if (!(await this.ensureRunning(service, options.signal))) {
      const st = this.watcher.state(service);
      return {
        exitCode: null,
        signal: null,
        durationMs: Date.now() - began,
        timedOut: false,
        cancelled: options.signal.aborted,
        reason: options.signal.aborted ? 'cancelled' : `service ${service} could not be started${st?.message ? `: ${st.message}` : ''}`,
      };
    }
    const r = await runStreaming(execArgv(this.target, { ...req, service }), {
      env: this.env(secretEnv(req)),
      signal: options.signal,
      onLine: options.onLine,
      onStuck: options.onStuck,
      timeoutMs: req.timeoutMs,
      inactivityMs: req.inactivityMs,
      stuckMs: req.stuckMs,
      // The group: v1 runs `docker exec` as a child that would outlive it.
      processGroup: true,
      killGraceMs: this.options.killGraceMs ?? 2000,
    });
    // Stopping the exec client does not stop the command inside the container
    // (there is no API for it): kill the service. A timeout or hang restarts it
    // now; after a cancel the next exec starts it again (auto-recovery), so a
    // quit goes straight to teardown.
    const ended = toRunOutcome(r, req, { oomKilled: this.watcher.isOomKilled(service) });
    if (r.timedOut || r.inactive) {
      const outcome = { ...ended, durationMs: Date.now() - began };
      try {
        await this.restartService(service);
        return { ...outcome, serviceRestarted: true };
      } catch (error) {
        // A service that cannot come back fails this experiment (and, through
        // auto-recovery, says so for the next ones on it): never the campaign.
        const why = error instanceof Error ? error.message : String(error);
        return { ...outcome, reason: `${outcome.reason ?? 'timed out'}; ${why}` };
      }
    }
    if (r.cancelled) await killProjectService(this.cli, this.target.project, service);
    return { ...ended, durationMs: Date.now() - began, reason: await this.reasonFor(service, r, ended.reason) };
  }

  private async reasonFor(service: string, r: StreamingResult, base: string | null): Promise<string | null> {
    if (base === null || r.cancelled || r.timedOut || r.inactive) return base;
    // exec ends with the container's death (137) or, on a stopped service, a silent 1.
    await this.watcher.reconcile();
    // A 137 can reach the exec client a moment before the engine calls the container dead (seen under load).
    const dying = r.exitCode === 137 && this.watcher.state(service)?.status === 'running';
    const st = dying ? ((await this.watcher.waitFor(service, (s) => s.status !== 'running', 2000)) ?? this.watcher.state(service)) : this.watcher.state(service);
    if (st && st.status !== 'running') {
      return `service ${service} stopped during the experiment (container exit ${st.lastExitCode ?? '?'}): ${base}`;
    }
    return base;
  }

  private async ensureRunning(service: string, signal: AbortSignal): Promise<boolean> {
    if (this.watcher.state(service)?.status === 'running') return true;
    await this.watcher.reconcile();
    if (this.watcher.state(service)?.status === 'running') return true;
    if (signal.aborted) return false;
    this.log(`service ${service} is not running: starting it`);
    this.watcher.countRestart(service);
    return this.up(service, signal);
  }

  private async up(service: string, signal?: AbortSignal): Promise<boolean> {
    this.watcher.track(service, { status: 'starting', message: null });
    const up = await this.compose(upArgv(this.target, [service]), signal);
    if (up.exitCode !== 0) {
      this.watcher.track(service, { status: 'error', message: `up failed: ${up.stderrTail.at(-1) ?? `exit ${up.exitCode}`}` });
      return false;
    }
    await this.watcher.reconcile();
    return (await this.watcher.waitFor(service, (s) => s.status === 'running', RUNNING_WAIT_MS)) !== null;
  }

  /** Kill then `up -d` the service (a base service with GPU slots: each of its per-GPU services); counted as a restart. */
  async restartService(name: string): Promise<void> {
    for (const service of servicesNamed(name, this.options.services, this.options.gpuSlots ?? null)) await this.restartOne(service);
  }

  private async restartOne(service: string): Promise<void> {
    this.log(`restarting service ${service}`);
    await killProjectService(this.cli, this.target.project, service);
    this.watcher.countRestart(service);
    if (!(await this.up(service))) throw new ServiceStartError(`service ${service} did not come back after a restart`, service);
  }

  /**
   * `down --remove-orphans -t <grace>` (never -v), then a check by label and
   * `docker rm -f` of anything left. Safe to call twice.
   */
  stopAll(): Promise<StopReport> {
    this.stopped ??= this.doStopAll();
    return this.stopped;
  }

  private async doStopAll(): Promise<StopReport> {
    const grace = this.options.stopGraceSeconds ?? 10;
    const down = await this.compose(downArgv(this.target, grace), undefined, (grace + 60) * 1000);
    if (down.exitCode !== 0) this.log(`compose down failed (${down.stderrTail.at(-1) ?? `exit ${down.exitCode}`}): removing by label`);
    const sweep = await sweepAfterDown(this.cli, this.target.project, this.watcher, down.exitCode === 0);
    await this.watcher.stop();
    return { forceRemoved: sweep.removed, failed: sweep.failed };
  }

  /** What stays running when teardown is off, and the command that stops it. */
  async leftRunning(): Promise<LeftRunning> {
    const running = (await listProjectContainers(this.cli, this.target.project)).filter((c) => c.state === 'running');
    await this.watcher.stop();
    return {
      containers: running.map((c) => c.name),
      stopCommand: downArgv(this.target, this.options.stopGraceSeconds ?? 10),
    };
  }
}

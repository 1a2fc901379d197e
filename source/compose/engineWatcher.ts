// Watches the engine, not compose: `docker events` filtered by the project
// label sees a kill in ~60 ms (measured here: `kill` → `die` with exitCode 137
// in 27 ms) and also sees one-off `run` containers, which `compose events`
// does not. A reconcile every few seconds with `docker ps -a` (14 ms) and
// `docker inspect` fills in RestartCount, StartedAt, ExitCode and OOMKilled.
// Never `compose ps` in a loop: 0.35 s per call on v1 (DESIGN.md, "Watching state").
import type { ContainerState } from './types.js';
import { eventsArgv, inspectArgv } from './argv.js';
import { listProjectContainers, type ProjectListing } from './cleanup.js';
import { capture, runStreaming } from '../io/process/process.js';
import { untrackedService, type TrackedService } from './trackedService.js';
import { parseEventLine, parseInspect, serviceStatusOf, type EngineEvent, type PsContainer } from './psFormats.js';

export interface EngineWatcherOptions {
  cli: string;
  project: string;
  /** Default 3000. */
  reconcileMs?: number;
  /** A container that dies within this long after starting "exited right after start". Default 3000. */
  earlyExitMs?: number;
}

type Listener = (state: ContainerState) => void;

/**
 * How old a listing handed to adopt() may be at start() and still be the first
 * look: the event stream replays from its time, and the engine keeps only its
 * last 256 events for such a replay.
 */
const ADOPT_MAX_AGE_MS = 5000;

export class EngineWatcher {
  private readonly services = new Map<string, TrackedService>();
  private readonly listeners = new Set<Listener>();
  private abort: AbortController | null = null;
  private eventsDone: Promise<void> | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private adopted: ProjectListing | null = null;

  constructor(private readonly options: EngineWatcherOptions) {}

  /**
   * A labelled `ps` the caller has just made (the leftover sweep's): start()
   * takes it as its first look instead of asking again, and replays the
   * events from its time, so nothing since then is missed.
   */
  adopt(listing: ProjectListing): void {
    this.adopted = listing;
  }

  /**
   * Start the event stream (replaying from now, or from an adopted listing's
   * time, so nothing falls in the gap) and reconcile once.
   */
  async start(): Promise<void> {
    if (this.abort) return;
    this.abort = new AbortController();
    const first = this.adopted && Date.now() - this.adopted.at <= ADOPT_MAX_AGE_MS ? this.adopted : null;
    this.adopted = null;
    this.eventsDone = this.followEvents(this.abort.signal, first?.at ?? Date.now());
    await (first ? this.reconcileFrom(first.containers, first.at) : this.reconcile());
    const every = this.options.reconcileMs ?? 3000;
    const tick = () => {
      this.reconcileTimer = setTimeout(() => {
        void this.reconcile().finally(() => this.abort && tick());
      }, every);
      this.reconcileTimer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (!this.abort) return;
    this.abort.abort();
    this.abort = null;
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    this.reconcileTimer = null;
    await this.eventsDone;
    await this.reconciling;
  }

  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  states(): ContainerState[] {
    return [...this.services.values()].map((t) => ({ ...t.state }));
  }

  state(service: string): ContainerState | null {
    const t = this.services.get(service);
    return t ? { ...t.state } : null;
  }

  isOomKilled(service: string): boolean {
    return this.services.get(service)?.oomKilled ?? false;
  }

  /** Show a service before the engine has a container for it (e.g. "starting"). */
  track(service: string, patch: Partial<ContainerState> = {}): void {
    this.update(service, patch, 0);
  }

  /** Count a restart lem-tui made (shown restarts = engine RestartCount + ours). */
  countRestart(service: string): void {
    const t = this.tracked(service);
    t.ourRestarts += 1;
    this.update(service, {}, 0);
  }

  /** Wait until a service's state satisfies `test`, or null after timeoutMs. */
  waitFor(service: string, test: (s: ContainerState) => boolean, timeoutMs: number): Promise<ContainerState | null> {
    const now = this.state(service);
    if (now && test(now)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, timeoutMs);
      const off = this.onState((s) => {
        if (s.service === service && test(s)) {
          clearTimeout(timer);
          off();
          resolve(s);
        }
      });
    });
  }

  /** Read the engine now: `docker ps -a` by label, then `docker inspect` of what it lists. */
  reconcile(): Promise<void> {
    this.reconciling ??= this.doReconcile().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  /** Take a `ps` the caller has just made (e.g. teardown's sweep), asked at `at`, instead of asking again. */
  async reconcileFrom(list: PsContainer[], at = Date.now()): Promise<void> {
    await this.reconciling;
    await this.doReconcile(list, at);
  }

  private async doReconcile(listed?: PsContainer[], listedAt?: number): Promise<void> {
    const began = listedAt ?? Date.now();
    const { cli, project } = this.options;
    const list = listed ?? (await listProjectContainers(cli, project));
    const byService = new Map<string, typeof list>();
    for (const c of list) {
      if (!c.service) continue;
      byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
    }
    for (const [service, cs] of byService) {
      const t = this.services.get(service);
      if (t && t.eventAt <= began) t.running = new Set(cs.filter((c) => c.state === 'running').map((c) => c.id));
    }
    // One container per service: a running one first, else the newest (ps lists newest first).
    const chosen = [...byService.values()].map((cs) => cs.find((c) => c.state === 'running') ?? cs[0]!);
    const inspected =
      chosen.length > 0
        ? parseInspect((await capture(inspectArgv(cli, chosen.map((c) => c.id)), { timeoutMs: 15_000 })).stdout)
        : [];
    for (const c of chosen) {
      const t = this.services.get(c.service!);
      if (t && t.eventAt > began) continue; // an event newer than this snapshot wins
      const i = inspected.find((x) => x.id === c.id);
      const running = i ? i.running : c.state === 'running';
      if (t && i) {
        t.engineRestarts = i.restartCount;
        t.oomKilled = i.oomKilled;
      }
      this.update(
        c.service!,
        {
          status: serviceStatusOf(i?.status ?? c.state),
          containerId: c.id,
          startedAt: i?.startedAt ?? null,
          lastExitCode: running ? (t?.state.lastExitCode ?? null) : (i?.exitCode ?? c.exitCode),
        },
        0,
        i?.restartCount,
      );
    }
    // Services we know that have no container any more.
    for (const [service, t] of this.services) {
      if (byService.has(service) || t.eventAt > began || t.state.containerId === null) continue;
      this.update(service, { status: 'stopped', containerId: null }, 0);
    }
  }

  private async followEvents(signal: AbortSignal, since: number): Promise<void> {
    let from = since;
    while (!signal.aborted) {
      await runStreaming(eventsArgv(this.options.cli, this.options.project).concat(['--since', (from / 1000).toFixed(3)]), {
        signal,
        killGraceMs: 1000,
        onLine: (line, stream) => {
          if (stream !== 'stdout') return;
          const ev = parseEventLine(line);
          if (ev) {
            from = Math.max(from, ev.timeMs);
            this.apply(ev);
          }
        },
      });
      // The stream ended by itself (engine restarted?): follow again shortly.
      if (!signal.aborted) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private apply(ev: EngineEvent): void {
    if (!ev.service || ev.project !== this.options.project) return;
    const t = this.services.get(ev.service);
    // Events about an older container of the service (e.g. the one `up` replaced) do not matter.
    const current = t?.state.containerId ?? null;
    switch (ev.action) {
      case 'create':
        this.update(ev.service, { status: 'starting', containerId: ev.id, message: null }, ev.timeMs);
        break;
      case 'start':
      case 'restart':
      case 'unpause':
        this.tracked(ev.service).running.add(ev.id);
        this.update(ev.service, { status: 'running', containerId: ev.id, startedAt: ev.timeMs, message: null }, ev.timeMs);
        break;
      case 'die': {
        t?.running.delete(ev.id);
        // Another container of the service still runs (a one-off on another GPU): the service runs on.
        const other = t ? [...t.running][0] : undefined;
        if (other !== undefined) {
          if (current === ev.id) this.update(ev.service, { containerId: other }, ev.timeMs);
          break;
        }
        if (current && current !== ev.id && t?.state.status === 'running') break;
        const started = t?.state.startedAt ?? null;
        // Ended by a signal (128 + n: a kill, a restart, teardown's SIGTERM) is
        // not the service's own command failing: never "exited right after start".
        const bySignal = ev.exitCode !== null && ev.exitCode > 128;
        const early = !ev.oneoff && started !== null && ev.timeMs - started < (this.options.earlyExitMs ?? 3000) && !bySignal;
        this.update(
          ev.service,
          {
            status: 'exited',
            containerId: ev.id,
            lastExitCode: ev.exitCode,
            message: early ? `exited right after start (exit ${ev.exitCode ?? '?'}): check the service's command` : null,
          },
          ev.timeMs,
        );
        break;
      }
      case 'oom':
        if (t) t.oomKilled = true;
        this.update(ev.service, { message: 'out of memory (OOM)' }, ev.timeMs);
        break;
      case 'destroy':
        t?.running.delete(ev.id);
        if (current === ev.id) this.update(ev.service, { status: 'stopped', containerId: null }, ev.timeMs);
        break;
      default:
        // exec_*, attach, kill, stop, ...: the die that follows (if any) says what matters.
        break;
    }
  }

  private tracked(service: string): TrackedService {
    let t = this.services.get(service);
    if (!t) this.services.set(service, (t = untrackedService(service)));
    return t;
  }

  private update(service: string, patch: Partial<ContainerState>, eventAt: number, engineRestarts?: number): void {
    const t = this.tracked(service);
    if (eventAt > t.eventAt) t.eventAt = eventAt;
    if (engineRestarts !== undefined) t.engineRestarts = engineRestarts;
    const next: ContainerState = { ...t.state, ...patch, service, restarts: t.engineRestarts + t.ourRestarts };
    const changed = (Object.keys(next) as (keyof ContainerState)[]).some((k) => next[k] !== t.state[k]);
    t.state = next;
    if (changed) for (const l of [...this.listeners]) l({ ...next });
  }
}

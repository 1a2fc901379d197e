// How runStreaming stops a process: optionally ask its owner first (askFirst),
// then SIGTERM to the process (or its whole group) → after the grace an optional extra rung (e.g. `docker kill` of the
// container behind a compose client) → SIGKILL, each after the grace; then the
// pipes are released, so that a grandchild that inherited them cannot keep
// the caller waiting.

/** What the ladder needs of a started process: an execa subprocess is one (it settles once the process is reaped). */
export interface LadderChild extends PromiseLike<unknown> {
  readonly pid?: number | undefined;
  kill(signal: NodeJS.Signals): boolean;
  once(event: 'exit', listener: () => void): unknown;
  readonly stdout: { destroy(): void } | null;
  readonly stderr: { destroy(): void } | null;
}

export interface KillLadderOptions {
  /** Time between SIGTERM and the next rung. */
  graceMs: number;
  /** Signal the process group (the child was started detached), not only the child. */
  processGroup: boolean;
  /** A rung between SIGTERM and SIGKILL; after it the process gets graceMs more to exit by itself. */
  beforeForceKill?: () => Promise<void>;
  /**
   * A rung before SIGTERM: ask whoever owns the work to stop it (scancel of a
   * Slurm job, whose srun would otherwise kill the task without a grace).
   * The process then gets graceMs to exit before the ladder goes on.
   */
  askFirst?: () => Promise<void>;
}

/** After a stop, output still pending in the pipes gets this long before they are closed. */
const PIPE_DRAIN_MS = 200;

export class KillLadder {
  /** The process itself is gone ('exit'), even if a grandchild still holds its pipes open (then the child promise waits for the grandchild). */
  private processGone = false;
  /** The caller has the child's result: its pid may be reused, so nothing is signalled through it any more. */
  private isReaped = false;
  private stopping: Promise<void> | null = null;
  private readonly gone: Promise<void>;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly child: LadderChild,
    private readonly options: KillLadderOptions,
  ) {
    this.gone = new Promise<void>((resolve) => {
      child.once('exit', () => {
        this.processGone = true;
        resolve();
      });
      // A process that never started emits no 'exit'.
      child.then(
        () => resolve(),
        () => resolve(),
      );
    });
  }

  /** Run the ladder (once; a second call gets the first one's promise). Resolves when it has done all it will. */
  stop(): Promise<void> {
    if (this.isReaped) return Promise.resolve();
    this.stopping ??= this.climb();
    return this.stopping;
  }

  /**
   * The caller has awaited the child: send nothing more through it, drop the
   * pending timers, and after a stop SIGKILL what is left of the group (it may
   * outlive its leader: a grandchild holding on).
   */
  reaped(): void {
    this.isReaped = true;
    if (this.stopping && this.options.processGroup && this.child.pid) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // Group empty.
      }
    }
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async climb(): Promise<void> {
    const { graceMs, processGroup, beforeForceKill } = this.options;
    if (this.processGone) {
      // Only grandchildren are left: end them (group) and stop waiting for them.
      if (processGroup) this.send('SIGKILL');
      this.releasePipes();
      return;
    }
    const asked = this.options.askFirst ? await this.options.askFirst().then(() => this.waitExit(graceMs), () => false) : false;
    if (!asked) this.send('SIGTERM');
    if (!asked && !(await this.waitExit(graceMs))) {
      if (beforeForceKill) await beforeForceKill().catch(() => undefined);
      if (!this.processGone && !(await this.waitExit(beforeForceKill ? graceMs : 0))) this.send('SIGKILL');
      await this.waitExit(graceMs);
    }
    if (processGroup) this.send('SIGKILL');
    this.releasePipes();
  }

  private send(signal: NodeJS.Signals): void {
    // No pid: the spawn failed (ENOENT) or has not happened. Node would then
    // signal pid 0, i.e. our own process group (measured: a kill of a
    // not-yet-failed nvidia-smi spawn SIGTERMed lem-tui and its parent shell).
    if (this.isReaped || this.child.pid === undefined) return;
    try {
      if (this.options.processGroup && this.child.pid) process.kill(-this.child.pid, signal);
      else if (!this.processGone) this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** True when the process exited within `ms`. */
  private waitExit(ms: number): Promise<boolean> {
    return Promise.race([this.gone.then(() => true), new Promise<boolean>((resolve) => this.later(ms, () => resolve(false)))]);
  }

  private releasePipes(): void {
    this.later(PIPE_DRAIN_MS, () => {
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
    });
  }

  private later(ms: number, fn: () => void): void {
    // A ladder still climbing when the child is reaped has nothing left to wait for.
    if (this.isReaped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

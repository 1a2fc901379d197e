// The hang detector of runStreaming: "no output for N s" stops the process,
// and a shorter silence is reported once per silent stretch (onStuck).
//
// The timers are not re-armed per line (at 20,000 lines/s that was two
// clearTimeout + setTimeout per line): a line only stamps the time, and a
// timer that fires early re-arms itself for the rest of the silence.

export interface SilenceWatchdogOptions {
  /** Call onSilent after this long without a line (0/undefined = never). */
  inactivityMs?: number;
  onSilent: () => void;
  /** Call onStuck once per silent stretch of this length (0/undefined = never). */
  stuckMs?: number;
  onStuck?: (silentForMs: number) => void;
}

export class SilenceWatchdog {
  private lastHeard: number;
  private stopped = false;
  private inactivityTimer: NodeJS.Timeout | undefined;
  private stuckTimer: NodeJS.Timeout | undefined;

  /** `since`: when the silence began (the process's start). Nothing is armed until arm(). */
  constructor(
    private readonly options: SilenceWatchdogOptions,
    since = Date.now(),
  ) {
    this.lastHeard = since;
  }

  /** Arm whichever timer is not armed yet. */
  arm(): void {
    if (this.stopped) return;
    const { inactivityMs, stuckMs, onStuck } = this.options;
    if (inactivityMs && inactivityMs > 0 && !this.inactivityTimer) this.armInactivity(inactivityMs);
    if (stuckMs && stuckMs > 0 && onStuck && !this.stuckTimer) this.armStuck(stuckMs);
  }

  /** A line arrived: the silence starts again (and a reported stuck stretch may be reported again). */
  heard(): void {
    this.lastHeard = Date.now();
    this.arm();
  }

  /** For good: what a process says while it is being stopped is not activity. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.inactivityTimer);
    clearTimeout(this.stuckTimer);
    this.inactivityTimer = this.stuckTimer = undefined;
  }

  private armInactivity(ms: number): void {
    this.inactivityTimer = setTimeout(() => {
      this.inactivityTimer = undefined;
      const silent = Date.now() - this.lastHeard;
      if (silent >= this.options.inactivityMs!) this.options.onSilent();
      else this.armInactivity(this.options.inactivityMs! - silent);
    }, ms);
  }

  private armStuck(ms: number): void {
    this.stuckTimer = setTimeout(() => {
      this.stuckTimer = undefined;
      const silent = Date.now() - this.lastHeard;
      // Once per silent stretch: the next line arms it again.
      if (silent >= this.options.stuckMs!) this.options.onStuck?.(silent);
      else this.armStuck(this.options.stuckMs! - silent);
    }, ms);
  }
}

// Pause for every slot at once: while a pause is requested, no slot starts
// another experiment; the ones running finish. "Paused" is said when the
// first slot stops at the gate and "resumed" once when it opens again, so a
// campaign with several slots says each once, as a campaign with one does.
import type { Action } from '../state/types.js';

export class PauseGate {
  private requested = false;
  /** Set while some slot waits; every slot that arrives meanwhile waits on the same one. */
  private closed: Promise<void> | null = null;
  private open: (() => void) | null = null;

  constructor(
    private readonly dispatch: (action: Action) => void,
    private readonly now: () => number,
    private readonly signal: AbortSignal,
  ) {}

  toggle(): void {
    this.requested = !this.requested;
    this.dispatch({ type: 'campaign/pauseRequested', at: this.now(), paused: this.requested });
    if (!this.requested) this.release();
  }

  /** Lets every waiting slot go (resume, or a stop: then they see the signal aborted). */
  release(): void {
    const open = this.open;
    this.closed = null;
    this.open = null;
    open?.();
  }

  /** Resolves at once unless a pause is requested; then when it is lifted or the campaign stops. */
  async waitWhilePaused(): Promise<void> {
    if (!this.requested || this.signal.aborted) return;
    if (this.closed) return this.closed; // the first slot to stop here says "paused" and "resumed"
    this.dispatch({ type: 'campaign/paused', at: this.now() });
    this.closed = new Promise<void>((resolve) => (this.open = resolve));
    await this.closed;
    if (!this.signal.aborted) this.dispatch({ type: 'campaign/resumed', at: this.now() });
  }
}

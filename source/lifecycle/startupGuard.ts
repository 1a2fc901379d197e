// Signals that arrive before the campaign's own handlers are in place (while
// the environment is checked, the lock and manifest are taken, leftovers are
// swept): without a handler Node would die by the signal (SIGTERM → 143,
// SIGHUP → 129) with the lock held. The guard is installed first; a signal
// is remembered, the start-up stops at its next step and exits 130 having
// started nothing. A second signal exits at once. The entry (cli.tsx) catches
// signals from its first line, before the program loads; install() takes over
// a signal caught there.
import { EXIT } from '../domain/exitCodes.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The entry's own catcher: the signal it received while the program loaded, if any. */
export interface EarlySignals {
  readonly received: NodeJS.Signals | null;
  /** Removes the entry's handlers. */
  release(): void;
}

export class InterruptedBeforeStart extends Error {
  /** `quit`: the user quit at a question on screen. */
  constructor(readonly signal: NodeJS.Signals | 'quit') {
    super(`${signal === 'quit' ? 'quit' : `interrupted by ${signal}`} before the campaign started: nothing was started`);
    this.name = 'InterruptedBeforeStart';
  }
}

export class StartupGuard {
  received: NodeJS.Signals | null = null;
  private readonly listeners = new Set<(signal: NodeJS.Signals) => void>();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.received) process.exit(EXIT.interrupted);
    this.received = signal;
    for (const listener of this.listeners) listener(signal);
  };

  /** Calls `listener` on the first signal (a start-up step that waits, e.g. a question, stops at once). */
  listen(listener: (signal: NodeJS.Signals) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Installs the guard; `early`'s signal counts as received, and its handlers are removed. */
  install(early?: EarlySignals): this {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    if (early) {
      this.received ??= early.received;
      early.release();
    }
    return this;
  }

  remove(): void {
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
  }

  /** Throws InterruptedBeforeStart once a signal has arrived: call between start-up steps. */
  check(): void {
    if (this.received) throw new InterruptedBeforeStart(this.received);
  }
}

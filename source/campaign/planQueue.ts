// The experiments still to run, in plan order, handed to the slots as they
// free up. Cycles do not overlap: the first experiment of cycle k+1 waits
// until every experiment of cycle k has ended, and then the slot that took it
// holds the cycle gap while the other slots wait for it too. So "a cycle's
// gap starts when its last experiment ends", and every GPU starts a cycle
// rested alike, as in a sequential campaign.
import type { PlannedExperiment } from '../plan/types.js';

export interface Taken {
  experiment: PlannedExperiment;
  /** It opens a new cycle: its slot holds the cycle gap (then calls `gapEnded`). */
  opensCycle: boolean;
}

export class PlanQueue {
  private taken = 0;
  private halted = false;
  private inFlight = 0;
  private cycle: number | null = null;
  /** Resolves when the in-flight count falls to 0. */
  private drained: { promise: Promise<void>; resolve: () => void } | null = null;
  /** Set from a cycle's opening until its gap ends. */
  private gap: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(private readonly queue: readonly PlannedExperiment[]) {}

  /** No slot takes more (a slot failed): the others end what they run. */
  halt(): void {
    this.halted = true;
    this.drained?.resolve();
    this.gap?.resolve();
  }

  /** The next experiment, once the cycle rules let it start; null when none is left or the signal aborted. */
  async take(signal: AbortSignal): Promise<Taken | null> {
    for (;;) {
      if (this.halted || signal.aborted || this.taken >= this.queue.length) return null;
      const next = this.queue[this.taken]!;
      const crossing = this.cycle !== null && next.cycleIndex !== this.cycle;
      if (crossing && this.inFlight > 0) {
        await abortable(this.waitDrained(), signal);
        continue;
      }
      if (this.gap) {
        await abortable(this.gap.promise, signal);
        continue;
      }
      this.taken += 1;
      this.inFlight += 1;
      this.cycle = next.cycleIndex;
      if (crossing) this.gap = deferred();
      return { experiment: next, opensCycle: crossing };
    }
  }

  /** The experiment a slot took has ended (however it ended). */
  done(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.drained) {
      this.drained.resolve();
      this.drained = null;
    }
  }

  /** The cycle gap held by the slot that opened the cycle is over. */
  gapEnded(): void {
    this.gap?.resolve();
    this.gap = null;
  }

  private waitDrained(): Promise<void> {
    this.drained ??= deferred();
    return this.drained.promise;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function abortable(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void promise.then(done);
  });
}

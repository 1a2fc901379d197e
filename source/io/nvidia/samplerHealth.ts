// When the nvidia-smi loop stops (it exits, or prints nothing for too long),
// what to say and whether to go on. Pure: gpuSampler.ts runs the loop.
//
// One notice when it first stops, one when it has recovered (a restarted
// loop that has given readings for RECOVERED_AFTER_MS), none for the stops in
// between. The budget is MAX_STOPS over the whole run, not a rate: a loop
// that dies every 13 s, or every 13 minutes, gives up all the same, and the
// notices of a run are at most 2 · MAX_STOPS + 1.

/** More stops than this in one run: nvidia-smi is not going to work, say so and stop asking. */
export const MAX_STOPS = 10;
/** A restarted loop that has given readings this long has recovered. */
export const RECOVERED_AFTER_MS = 60_000;

export type StopVerdict = { giveUp: true } | { giveUp: false; notice: string | null };

export class SamplerHealth {
  private stops = 0;
  private failing = false;
  /** When the current loop gave its first block after a stop (null: none yet). */
  private healthySince: number | null = null;

  constructor(
    private readonly maxStops: number = MAX_STOPS,
    private readonly recoveredAfterMs: number = RECOVERED_AFTER_MS,
  ) {}

  /** The loop stopped (`how`: "exit 1", "no reading for 3 s"). */
  stopped(how: string): StopVerdict {
    this.stops += 1;
    this.healthySince = null;
    if (this.stops > this.maxStops) return { giveUp: true };
    if (this.failing) return { giveUp: false, notice: null };
    this.failing = true;
    return { giveUp: false, notice: `GPU sampler stopped (${how}); restarting` };
  }

  /** A complete block at `at`; the recovery notice when one is due. */
  block(at: number): string | null {
    if (!this.failing) return null;
    this.healthySince ??= at;
    if (at - this.healthySince < this.recoveredAfterMs) return null;
    this.failing = false;
    return `GPU sampler recovered (${this.stops} stop${this.stops === 1 ? '' : 's'} so far; it gives up after ${this.maxStops})`;
  }
}

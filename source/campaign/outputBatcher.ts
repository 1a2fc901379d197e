// Container output arrives line by line, possibly 20,000 lines a second. One
// action per line would copy the log ring for every line; instead lines are
// collected and flushed as one action at most every `intervalMs` (DESIGN.md:
// "a bounded ring buffer flushed to React state at <= 30 Hz"). Only the last
// `keep` lines of a batch can matter to a ring of that size, so older ones
// are counted, not kept.

export class OutputBatcher {
  private pending: string[] = [];
  private droppedSinceFlush = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flush: (lines: string[], dropped: number) => void,
    private readonly intervalMs = 33,
    private readonly keep = 500,
  ) {}

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length > this.keep * 2) {
      const excess = this.pending.length - this.keep;
      this.pending = this.pending.slice(excess);
      this.droppedSinceFlush += excess;
    }
    this.timer ??= setTimeout(() => this.drain(), this.intervalMs);
  }

  /** Flush now (at the end of an experiment) and stop the timer. */
  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 && this.droppedSinceFlush === 0) return;
    const lines = this.pending;
    const dropped = this.droppedSinceFlush;
    this.pending = [];
    this.droppedSinceFlush = 0;
    this.flush(lines, dropped);
  }
}

// The running experiment's output, bounded: the last `limit` lines and a count
// of those let go. Output may arrive at 20,000 lines/s in batches, so the work
// per batch is one concat and one slice, and lines that cannot survive the
// batch are counted without being cleaned.
import { cleanLines } from './ansi.js';

export interface LogRing {
  lines: string[];
  dropped: number;
  expId: string | null;
}

export const emptyLog = (expId: string | null = null): LogRing => ({ lines: [], dropped: 0, expId });

/** Appends lines that are already clean (e.g. a separator). */
export function pushClean(log: LogRing, lines: readonly string[], limit: number, alsoDropped = 0): LogRing {
  const all = log.lines.length === 0 ? lines.slice() : log.lines.concat(lines);
  const excess = Math.max(0, all.length - limit);
  return {
    expId: log.expId,
    lines: excess > 0 ? all.slice(excess) : all,
    dropped: log.dropped + excess + alsoDropped,
  };
}

/** Appends raw output lines: ANSI stripped, \r redraws reduced (see ansi.ts). */
export function pushRaw(log: LogRing, raw: readonly string[], limit: number, alsoDropped = 0): LogRing {
  // Clean from the end until `limit` lines are in hand; older raw lines are
  // dropped by the ring anyway (a raw line holds at least one line).
  const fresh: string[][] = [];
  let kept = 0;
  let i = raw.length - 1;
  for (; i >= 0 && kept < limit; i--) {
    const lines = cleanLines(raw[i]!);
    fresh.push(lines);
    kept += lines.length;
  }
  const cleaned = fresh.reverse().flat();
  return pushClean(log, cleaned, limit, alsoDropped + (i + 1));
}

/** The last `count` lines, e.g. to keep with a failed experiment. */
export function tail(log: LogRing, count: number): string[] {
  return log.lines.slice(Math.max(0, log.lines.length - count));
}

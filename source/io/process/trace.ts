// LEM_TUI_TRACE=<file>: one JSON line per external call of the run (argv,
// start and end in epoch ms, exit code), appended when the call ends. For
// measuring what a run spends waiting on other programs (BENCHMARKS.md); off
// (one env lookup per call) unless the variable is set.
import fs from 'node:fs';

export interface TraceEnd {
  exitCode: number | null;
}

/** Starts the record of one call; the returned function ends it. */
export function traceCall(argv: readonly string[]): (end: TraceEnd) => void {
  const file = process.env.LEM_TUI_TRACE;
  if (!file) return () => {};
  const start = Date.now();
  return ({ exitCode }) => {
    const line = JSON.stringify({ argv, start, end: Date.now(), exitCode, pid: process.pid });
    try {
      fs.appendFileSync(file, `${line}\n`);
    } catch {
      // A trace that cannot be written must not change the run.
    }
  };
}

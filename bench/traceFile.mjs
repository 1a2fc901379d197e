// Reading a LEM_TUI_TRACE file (source/io/process/trace.ts): one JSON line per
// external call, {argv, start, end, exitCode} in epoch ms.
import fs from 'node:fs';

export function readTrace(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** ms from `began` to the start of the first experiment's process (its argv runs `lem experiment`); null without a trace. */
export function firstExperimentMs(file, began) {
  const starts = readTrace(file)
    .filter((c) => c.argv.includes('lem') && c.argv.includes('experiment'))
    .map((c) => c.start);
  return starts.length > 0 ? Math.min(...starts) - began : null;
}

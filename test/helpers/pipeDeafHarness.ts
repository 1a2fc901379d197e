// A harness that ignores SIGPIPE, as llenergymeasure's Python `lem` does, so
// that it outlives a SIGKILLed lem-tui (the stand-in shell harness alone dies
// on its next write to the broken pipe). It wraps fixtures/harness/lem and
// keeps its own record of each run in `<dir>/harness-runs.log`: start, a
// beat every 0.2 s and end, with its experiment id, CUDA_VISIBLE_DEVICES and
// the kernel's uptime clock. Tests read what overlapped from that record,
// not from lem-tui's.
import fs from 'node:fs';
import path from 'node:path';
import { LEM } from './cli.js';

export interface HarnessRun {
  pid: number;
  expId: string;
  gpus: string;
  start: number;
  /** The end it recorded, or its last beat when it was SIGKILLed. */
  end: number;
  exitCode: number | null;
}

/** Writes the wrapper into `dir`; returns its path (for --lem-command). */
export function writePipeDeafHarness(dir: string): string {
  const file = path.join(dir, 'lem-pipe-deaf');
  const runs = path.join(dir, 'harness-runs.log');
  fs.writeFileSync(
    file,
    `#!/bin/sh
trap '' PIPE
runs='${runs}'
exp=$(basename "$2" .yaml)
exp=\${exp#_campaign_}
gpus=\${CUDA_VISIBLE_DEVICES:-none}
up() { cut -d' ' -f1 /proc/uptime; }
echo "start $$ $exp $gpus $(up)" >> "$runs"
( while :; do echo "beat $$ $exp $gpus $(up)" >> "$runs"; sleep 0.2; done ) &
beat=$!
trap 'kill $beat; echo "end $$ $exp $gpus $(up) 143" >> "$runs"; exit 143' TERM
'${LEM}' "$@"
rc=$?
kill $beat
echo "end $$ $exp $gpus $(up) $rc" >> "$runs"
exit $rc
`,
    { mode: 0o755 },
  );
  return file;
}

/** Each run the wrapper recorded in `dir`, in the order they started. */
export function readHarnessRuns(dir: string): HarnessRun[] {
  const file = path.join(dir, 'harness-runs.log');
  if (!fs.existsSync(file)) return [];
  const runs = new Map<number, HarnessRun>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [kind, pid, expId, gpus, at, code] = line.split(' ');
    if (!kind || !pid || !expId || !gpus || !at) continue;
    const t = Number(at);
    const run = runs.get(Number(pid)) ?? { pid: Number(pid), expId, gpus, start: t, end: t, exitCode: null };
    run.end = Math.max(run.end, t);
    if (kind === 'end') run.exitCode = Number(code);
    runs.set(run.pid, run);
  }
  return [...runs.values()].sort((a, b) => a.start - b.start);
}

/** Pairs of runs that overlapped in time and shared an experiment or a GPU. */
export function overlappingRuns(runs: readonly HarnessRun[]): string[] {
  const clashes: string[] = [];
  runs.forEach((a, i) => {
    for (const b of runs.slice(i + 1)) {
      const shared = a.expId === b.expId ? `experiment ${a.expId}` : a.gpus === b.gpus ? `GPU ${a.gpus}` : null;
      if (shared && a.start < b.end && b.start < a.end) clashes.push(`${shared}: pid ${a.pid} [${a.start}, ${a.end}] and pid ${b.pid} [${b.start}, ${b.end}]`);
    }
  });
  return clashes;
}

/** SIGKILLs every harness group the wrapper recorded (after a failed test: nothing may run on). */
export function killRecordedHarnesses(dir: string): void {
  for (const run of readHarnessRuns(dir)) {
    try {
      process.kill(-run.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

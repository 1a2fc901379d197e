// Where a local run leaves word of the harness groups it started, so that a
// later start finds them if this lem-tui is SIGKILLed (its harness may run on:
// one that ignores SIGPIPE outlives the pipe). One small JSON file per
// attempt in `<state_dir>/local-runs/`, written when the harness starts and
// removed when its attempt ends; what is left there belongs to a run that
// died. The group's leader's start time tells the group from a later process
// that got the same pid.
import fs from 'node:fs';
import path from 'node:path';
import { processStartTicks } from '../io/process/processGroups.js';

export interface LocalRunRecord {
  /** The harness's pid, which is also its process group (it is started as a group leader). */
  pgid: number;
  /** Its start in clock ticks since boot (/proc/<pid>/stat field 22); null without /proc. */
  startTicks: number | null;
  expId: string;
  /** The GPUs it was given (--gpus), as labels. */
  gpus: string[];
  /** The lem-tui that started it. */
  ownerPid: number;
  startedAt: string;
}

export function localRunsDir(stateDir: string): string {
  return path.join(stateDir, 'local-runs');
}

/**
 * Records a harness group that just started; returns what removes the
 * record when its attempt has ended. Synchronous: written before anything
 * else happens, so a SIGKILL a moment later still leaves it.
 */
export function recordLocalRun(stateDir: string, run: { pgid: number; expId: string; gpus: readonly string[] }): () => void {
  const dir = localRunsDir(stateDir);
  const file = path.join(dir, `${run.pgid}.json`);
  const record: LocalRunRecord = {
    pgid: run.pgid,
    startTicks: processStartTicks(run.pgid),
    expId: run.expId,
    gpus: [...run.gpus],
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
  };
  fs.mkdirSync(dir, { recursive: true });
  // Beside it and renamed: a reader never sees half a record.
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(record)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return () => fs.rmSync(file, { force: true });
}

/** The records left in the state dir, each with its file; unreadable ones are dropped (and removed). */
export async function readLocalRuns(stateDir: string): Promise<{ record: LocalRunRecord; file: string }[]> {
  const dir = localRunsDir(stateDir);
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return []; // none ever written
  }
  const found: { record: LocalRunRecord; file: string }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const record = name.endsWith('.json') ? await readRecord(file) : null;
    if (record) found.push({ record, file });
    else await fs.promises.rm(file, { force: true });
  }
  return found;
}

async function readRecord(file: string): Promise<LocalRunRecord | null> {
  try {
    const data = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Partial<LocalRunRecord>;
    const pgid = data.pgid;
    if (typeof pgid !== 'number' || !Number.isInteger(pgid) || pgid <= 1 || typeof data.expId !== 'string') return null;
    return {
      pgid,
      startTicks: typeof data.startTicks === 'number' ? data.startTicks : null,
      expId: data.expId,
      gpus: Array.isArray(data.gpus) ? data.gpus.map(String) : [],
      ownerPid: typeof data.ownerPid === 'number' ? data.ownerPid : 0,
      startedAt: typeof data.startedAt === 'string' ? data.startedAt : '',
    };
  } catch {
    return null;
  }
}

// Before anything runs: harnesses a local run started and left running when
// it was SIGKILLed (or its terminal went away). Found from the records in
// the state dir (localRunRecords.ts), checked to be the same process groups,
// stopped with --yes or after a question (SIGTERM, the grace, SIGKILL) and
// waited for, so that no experiment and no GPU ever has two runs at once.
// The run lock is held: no live lem-tui of this campaign owns them.
import fs from 'node:fs/promises';
import { EnvironmentError } from '../domain/environmentError.js';
import { readLocalRuns, type LocalRunRecord } from './localRunRecords.js';
import { isSameGroupRunning, stopGroups } from '../io/process/processGroups.js';

export interface LocalLeftoverChoice {
  yes: boolean;
  interactive: boolean;
  ask: (question: string, defaultYes: boolean) => Promise<boolean>;
  /** SIGTERM → SIGKILL after this long (the campaign's stop_grace_seconds). */
  graceMs: number;
}

export interface StoppedLeftovers {
  /** For the run's info notices. */
  notes: string[];
  /**
   * When they were asked to stop; null when none ran. A result one of them
   * wrote after this may be a partial one written on its way out.
   */
  stopAskedAt: number | null;
}

/** Throws EnvironmentError when they may not be stopped or would not stop. */
export async function stopLeftoverHarnesses(stateDir: string, choice: LocalLeftoverChoice): Promise<StoppedLeftovers> {
  const records = await readLocalRuns(stateDir);
  const alive = records.filter(({ record }) => isSameGroupRunning(record.pgid, record.startTicks));
  const forget = () => Promise.all(records.map(({ file }) => fs.rm(file, { force: true })));
  if (alive.length === 0) {
    await forget(); // the run that wrote them is over, and so are they
    return { notes: [], stopAskedAt: null };
  }
  const left = alive.map(({ record }) => record);
  const pgids = left.map((r) => r.pgid);
  const n = left.length;
  const what = `${n} harness${n === 1 ? '' : 'es'} of this campaign from an earlier run ${n === 1 ? 'is' : 'are'} still running (${left.map(describe).join(', ')})`;
  const stopNow = choice.yes || (choice.interactive && (await choice.ask(`${what}. Stop ${n === 1 ? 'it' : 'them'} and go on?`, true)));
  if (!stopNow) {
    throw new EnvironmentError(what, `stop them (kill -TERM ${pgids.map((p) => `-${p}`).join(' ')}), or pass --yes to have lem-tui stop them and go on`);
  }
  const stopAskedAt = Date.now();
  const still = await stopGroups(pgids, choice.graceMs);
  if (still.length > 0) {
    throw new EnvironmentError(`the earlier run's harness process group${still.length === 1 ? '' : 's'} ${still.join(', ')} did not end after SIGKILL`, 'stop them yourself, then start again');
  }
  await forget();
  return { notes: [`stopped ${n} harness${n === 1 ? '' : 'es'} an earlier run left running: ${left.map(describe).join(', ')}`], stopAskedAt };
}

function describe(record: LocalRunRecord): string {
  const gpus = record.gpus.length > 0 ? ` on GPU ${record.gpus.join(',')}` : '';
  return `pid ${record.pgid}: experiment ${record.expId}${gpus}`;
}

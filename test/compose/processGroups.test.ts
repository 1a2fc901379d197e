// Process groups from /proc with real processes: a recorded group is known by
// its leader's start time (a reused pid is never taken for it), its running
// members are counted without zombies, and stopGroups ends one that ignores
// SIGTERM. Also the records a local run leaves in the state dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupMembers, isSameGroupRunning, processStartTicks, stopGroups } from '../../source/compose/processGroups.js';
import { localRunsDir, readLocalRuns, recordLocalRun } from '../../source/compose/localRunRecords.js';

const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
});

/** A detached shell (its own group) with a child, that ignores SIGTERM when asked. */
function startGroup(ignoreTerm: boolean): number {
  const script = `${ignoreTerm ? "trap '' TERM; " : ''}sleep 30 & wait`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}

describe('process groups', () => {
  it('a live group is known by its leader and its start time; another start time is another process', async () => {
    const pgid = startGroup(false);
    await new Promise((r) => setTimeout(r, 200));
    const ticks = processStartTicks(pgid);
    expect(ticks).toEqual(expect.any(Number));
    expect(groupMembers(pgid).length).toBe(2); // the shell and its sleep
    expect(isSameGroupRunning(pgid, ticks)).toBe(true);
    expect(isSameGroupRunning(pgid, ticks! + 1)).toBe(false); // a reused pid: not ours
    expect(await stopGroups([pgid], 2000)).toEqual([]);
    expect(groupMembers(pgid)).toEqual([]);
    expect(isSameGroupRunning(pgid, ticks)).toBe(false);
  });

  it('stopGroups SIGKILLs a group that ignores SIGTERM after the grace', async () => {
    const pgid = startGroup(true);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    expect(await stopGroups([pgid], 500)).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(groupMembers(pgid)).toEqual([]);
  });

  it('records: written at once, read back, removed by the attempt; junk is dropped', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-runs-'));
    const forget = recordLocalRun(stateDir, { pgid: process.pid, expId: '0007', gpus: ['1'] });
    fs.writeFileSync(path.join(localRunsDir(stateDir), 'junk.json'), '{"pgid": "x"');
    const runs = await readLocalRuns(stateDir);
    expect(runs.map((r) => r.record)).toEqual([
      expect.objectContaining({ pgid: process.pid, expId: '0007', gpus: ['1'], ownerPid: process.pid, startTicks: processStartTicks(process.pid) }),
    ]);
    expect(fs.readdirSync(localRunsDir(stateDir))).toEqual([`${process.pid}.json`]);
    forget();
    expect(await readLocalRuns(stateDir)).toEqual([]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
});

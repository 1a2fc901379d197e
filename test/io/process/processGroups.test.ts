// Process groups from /proc with real processes: a recorded group is known by
// its leader's start time (a reused pid is never taken for it), its running
// members are counted without zombies, and stopGroups ends one that ignores
// SIGTERM.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { groupMembers, isSameGroupRunning, processStartTicks, stopGroups } from '../../../source/io/process/processGroups.js';

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

});

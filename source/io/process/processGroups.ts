// Process groups on this host, read from /proc: whether a harness group an
// earlier lem-tui started is still there (and is still that group: a pid is
// reused, so the leader's start time is compared), and stopping one from
// outside the KillLadder, whose child is gone with the lem-tui that ran it.
// A zombie is no longer running: it is never counted as a live member.
import fs from 'node:fs';

/** The fields of /proc/<pid>/stat after the command name, whose parentheses may hold anything. */
function statFields(pid: number): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** When the process started, in clock ticks since boot (/proc/<pid>/stat field 22); null when it is gone or there is no /proc. */
export function processStartTicks(pid: number): number | null {
  const fields = statFields(pid);
  // Fields from the third on: state is [0], pgrp [2], starttime [19].
  const ticks = fields ? Number(fields[19]) : Number.NaN;
  return Number.isFinite(ticks) ? ticks : null;
}

const hasProc = (): boolean => fs.existsSync('/proc/self/stat');

/** The running (not zombie) processes of group `pgid`. Without /proc: the group as kill(0) sees it. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc()) return signalGroup(pgid, 0) ? [pgid] : [];
  const members: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields && fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(name));
  }
  return members;
}

/**
 * Whether the group a run recorded is still there and still that run's: its
 * leader, if it lives, started when it did (else the pid was reused). A
 * leader that is gone while the group lives proves nothing against it: the
 * kernel does not hand out a pid still in use as a group id.
 */
export function isSameGroupRunning(pgid: number, startTicks: number | null): boolean {
  if (groupMembers(pgid).length === 0) return false;
  const leaderTicks = processStartTicks(pgid);
  return leaderTicks === null || startTicks === null || leaderTicks === startTicks;
}

/** Sends `signal` to the whole group; false when there is no such group (or it may not be signalled). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when every group in `pgids` has no running member within `ms`. */
async function waitGroupsGone(pgids: readonly number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (pgids.every((pgid) => groupMembers(pgid).length === 0)) return true;
    if (Date.now() >= until) return false;
    await sleep(100);
  }
}

/**
 * Stops whole groups as the KillLadder would: SIGTERM, `graceMs` to end,
 * then SIGKILL, and waits until they are gone. Returns the groups still
 * running after that (none, unless something cannot be killed).
 */
export async function stopGroups(pgids: readonly number[], graceMs: number, killWaitMs = 10_000): Promise<number[]> {
  for (const pgid of pgids) signalGroup(pgid, 'SIGTERM');
  if (await waitGroupsGone(pgids, graceMs)) return [];
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
  await waitGroupsGone(pgids, killWaitMs);
  return pgids.filter((pgid) => groupMembers(pgid).length > 0);
}

// The kill ladder against real short-lived processes (sh, node). The grace
// timers run on a fake clock where the order of the rungs is the point: the
// test moves the clock and the real process answers, so nothing depends on
// how fast the machine is.
import { execa, type ResultPromise } from 'execa';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KillLadder } from '../../../source/io/process/killLadder.js';

// Real ones, kept before any test fakes the clock: polling must go on under a fake one.
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

async function until(done: () => boolean, deadlineMs = 10_000): Promise<boolean> {
  const end = realNow() + deadlineMs;
  while (!done() && realNow() < end) await new Promise((resolve) => realSetTimeout(resolve, 10));
  return done();
}

// A zombie (killed, not yet reaped by PID 1) counts as dead.
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const leftovers: number[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
});

/** Start `argv` the way runStreaming does; `firstLine` is what it printed first, `exited` whether it is gone. */
function start(argv: string[], options: { processGroup?: boolean } = {}) {
  const child: ResultPromise = execa(argv[0]!, argv.slice(1), {
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    detached: options.processGroup === true,
    forceKillAfterDelay: false,
  });
  const state = { exited: false, settled: false };
  child.once('exit', () => void (state.exited = true));
  void child.then(() => void (state.settled = true));
  child.stdout!.setEncoding('utf8');
  const firstLine = new Promise<string>((resolve) => child.stdout!.once('data', (chunk: string) => resolve(chunk.split('\n')[0]!)));
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, state, firstLine };
}

const IGNORES_TERM = ['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"];

describe('KillLadder', () => {
  it('SIGTERM first: a process that ends on it gets nothing more', async () => {
    const { child, firstLine } = start(['sh', '-c', 'echo ready; exec sleep 30']);
    await firstLine;
    const rungs: string[] = [];
    const ladder = new KillLadder(child, { graceMs: 60_000, processGroup: false, beforeForceKill: async () => void rungs.push('rung') });
    await ladder.stop(); // long before the minute of grace
    const r = await child;
    ladder.reaped();
    expect(r.signal).toBe('SIGTERM');
    expect(rungs).toEqual([]);
  });

  it('SIGKILL after the grace when SIGTERM is ignored and there is no extra rung', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { child, state, firstLine } = start(IGNORES_TERM);
    await firstLine;
    const ladder = new KillLadder(child, { graceMs: 1000, processGroup: false });
    const stopped = ladder.stop();
    await vi.advanceTimersByTimeAsync(999);
    expect(state.exited).toBe(false);
    // The grace is up: SIGKILL at once, after a zero-delay look whether it
    // went meanwhile (a 0 ms timer waits 1 ms), not after a second grace.
    await vi.advanceTimersByTimeAsync(2);
    expect(await until(() => state.exited)).toBe(true);
    await stopped;
    expect((await child).signal).toBe('SIGKILL');
    ladder.reaped();
  });

  it('runs the extra rung after the grace, then gives the process another grace before SIGKILL', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { child, state, firstLine } = start(IGNORES_TERM);
    await firstLine;
    const rungs: string[] = [];
    const ladder = new KillLadder(child, { graceMs: 1000, processGroup: false, beforeForceKill: async () => void rungs.push('rung') });
    const stopped = ladder.stop();
    await vi.advanceTimersByTimeAsync(999);
    expect(rungs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await until(() => rungs.length === 1)).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(state.exited).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await until(() => state.exited)).toBe(true);
    await stopped;
    expect((await child).signal).toBe('SIGKILL');
    ladder.reaped();
  });

  it('no SIGKILL when the extra rung ends the process', async () => {
    const script = "process.on('SIGTERM', () => {}); process.on('SIGUSR2', () => process.exit(3)); console.log('ready'); setInterval(() => {}, 1000);";
    const { child, firstLine } = start(['node', '-e', script]);
    await firstLine;
    const ladder = new KillLadder(child, { graceMs: 200, processGroup: false, beforeForceKill: async () => void child.kill('SIGUSR2') });
    await ladder.stop();
    const r = await child;
    ladder.reaped();
    expect(r).toMatchObject({ exitCode: 3 });
    expect(r.signal).toBeUndefined();
  });

  it('askFirst comes before SIGTERM: a process its owner ends (scancel of a Slurm job) gets no signal from us', async () => {
    const script = "process.on('SIGUSR2', () => process.exit(4)); console.log('ready'); setInterval(() => {}, 1000);";
    const { child, firstLine } = start(['node', '-e', script]);
    await firstLine;
    const ladder = new KillLadder(child, { graceMs: 5000, processGroup: false, askFirst: async () => void child.kill('SIGUSR2') });
    await ladder.stop();
    const r = await child;
    ladder.reaped();
    expect(r).toMatchObject({ exitCode: 4 });
    expect(r.signal).toBeUndefined();
  });

  it('askFirst that does not end the process within the grace: then SIGTERM, and the ladder goes on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { child, state, firstLine } = start(['sh', '-c', 'echo ready; exec sleep 30']);
    await firstLine;
    const asked: string[] = [];
    const ladder = new KillLadder(child, { graceMs: 1000, processGroup: false, askFirst: async () => void asked.push('scancel') });
    const stopped = ladder.stop();
    await vi.advanceTimersByTimeAsync(999);
    expect(asked).toEqual(['scancel']);
    expect(state.exited).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await until(() => state.exited)).toBe(true);
    await stopped;
    expect((await child).signal).toBe('SIGTERM');
    ladder.reaped();
  });

  it('askFirst that fails: SIGTERM at once', async () => {
    const { child, firstLine } = start(['sh', '-c', 'echo ready; exec sleep 30']);
    await firstLine;
    const ladder = new KillLadder(child, { graceMs: 60_000, processGroup: false, askFirst: () => Promise.reject(new Error('scancel: no answer')) });
    await ladder.stop();
    expect((await child).signal).toBe('SIGTERM');
    ladder.reaped();
  });

  it('a rung that fails does not stop the ladder', async () => {
    const { child, firstLine } = start(IGNORES_TERM);
    await firstLine;
    const ladder = new KillLadder(child, { graceMs: 100, processGroup: false, beforeForceKill: () => Promise.reject(new Error('docker kill failed')) });
    await ladder.stop();
    expect((await child).signal).toBe('SIGKILL');
    ladder.reaped();
  });

  it('with processGroup, the whole group is signalled: a grandchild that ignores SIGTERM is killed', async () => {
    const { child, firstLine } = start(['sh', '-c', "sh -c 'trap \"\" TERM; echo $$; exec sleep 30' & wait"], { processGroup: true });
    const grandchild = Number(await firstLine);
    leftovers.push(grandchild);
    const ladder = new KillLadder(child, { graceMs: 300, processGroup: true });
    await ladder.stop();
    await child;
    ladder.reaped();
    expect(await until(() => !alive(grandchild))).toBe(true);
  });

  describe('when the process is gone but a grandchild holds its pipes', () => {
    const script = ['sh', '-c', "(trap '' TERM; exec sleep 30) & echo $!"];

    it('stops waiting for the grandchild: the pipes are released', async () => {
      const { child, state, firstLine } = start(script);
      // Made at the start, as runStreaming does: it must see the 'exit'.
      const ladder = new KillLadder(child, { graceMs: 60_000, processGroup: false });
      const grandchild = Number(await firstLine);
      leftovers.push(grandchild);
      expect(await until(() => state.exited)).toBe(true);
      expect(state.settled).toBe(false); // the grandchild holds stdout
      await ladder.stop();
      expect(await until(() => state.settled)).toBe(true);
      ladder.reaped();
      expect(alive(grandchild)).toBe(true); // not ours to kill without the group
    });

    it('with processGroup, ends the grandchild too', async () => {
      const { child, state, firstLine } = start(script, { processGroup: true });
      const ladder = new KillLadder(child, { graceMs: 60_000, processGroup: true });
      const grandchild = Number(await firstLine);
      leftovers.push(grandchild);
      expect(await until(() => state.exited)).toBe(true);
      await ladder.stop();
      expect(await until(() => state.settled)).toBe(true);
      ladder.reaped();
      expect(await until(() => !alive(grandchild))).toBe(true);
    });
  });

  it('stop() runs once, and does nothing once the child is reaped', async () => {
    const { child, firstLine } = start(['sh', '-c', 'echo ready; exec sleep 30']);
    await firstLine;
    const ladder = new KillLadder(child, { graceMs: 60_000, processGroup: false });
    const first = ladder.stop();
    expect(ladder.stop()).toBe(first);
    await first;
    await child;
    ladder.reaped();

    const { child: other } = start(['true']);
    await other;
    const late = new KillLadder(other, { graceMs: 60_000, processGroup: false });
    late.reaped();
    await late.stop(); // resolves at once: nothing to signal
  });
});

// runStreaming and capture against real host processes (sh, sleep): fast.
// Nothing here depends on how fast the machine is: a child waits for the
// test (a file it polls for) instead of sleeping a fixed time, a cancel comes
// once the child says it is ready, the silence timers run on a fake clock,
// and wall-clock bounds are only "did not wait for the long sleep".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capture, runStreaming } from '../../../source/io/process/process.js';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder the child polls for files that the test creates: `go(name)` lets it go on. */
function handshake() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lem-process-'));
  dirs.push(dir);
  return {
    /** sh that waits until the test calls go(name). */
    waitFor: (name: string) => `while [ ! -e '${dir}/${name}' ]; do sleep 0.01; done`,
    go: (name: string) => writeFileSync(path.join(dir, name), ''),
  };
}

// Real ones, kept before any test fakes the clock: polling must go on under a fake one.
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

/** Polls until `done()` or the deadline (generous: it only bounds a failure). */
async function until(done: () => boolean, deadlineMs = 10_000): Promise<boolean> {
  const end = realNow() + deadlineMs;
  while (!done() && realNow() < end) await new Promise((resolve) => realSetTimeout(resolve, 10));
  return done();
}

// A zombie (killed, not yet reaped by PID 1) counts as dead.
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
};

describe('runStreaming', () => {
  it('streams stdout and stderr line by line as they come, and returns the exit code', async () => {
    const seen: [string, string][] = [];
    const h = handshake();
    // Each line waits until the test has seen the one before: only lines handed
    // over as they come get that far. (It also fixes their order: stdout and
    // stderr are two pipes, read in whatever order they are ready.)
    const script = `echo one; ${h.waitFor('one')}; echo two >&2; ${h.waitFor('two')}; printf "three"; exit 4`;
    const r = await runStreaming(['sh', '-c', script], {
      onLine: (line, stream) => {
        seen.push([line, stream]);
        h.go(line);
      },
    });
    expect(seen).toEqual([
      ['one', 'stdout'],
      ['two', 'stderr'],
      ['three', 'stdout'],
    ]);
    expect(r).toMatchObject({ exitCode: 4, signal: null, timedOut: false, cancelled: false, inactive: false, stderrTail: ['two'] });
  });

  it('passes env merged over process.env and ignores stdin', async () => {
    const lines: string[] = [];
    await runStreaming(['sh', '-c', 'echo "$LEM_X:${PATH:+path}"; cat; echo end'], {
      env: { LEM_X: 'x1' },
      onLine: (l) => lines.push(l),
    });
    expect(lines).toEqual(['x1:path', 'end']);
  });

  it('stops on timeout', async () => {
    const r = await runStreaming(['sleep', '30'], { timeoutMs: 200, killGraceMs: 500 });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGTERM', exitCode: null });
    expect(r.durationMs).toBeGreaterThanOrEqual(200);
    expect(r.durationMs).toBeLessThan(20_000); // not the 30 s of the sleep
  });

  it('stops on inactivity, reset by each line, and reports stuck once per silence', async () => {
    // The silence timers run on a fake clock; the child prints each line when
    // the test lets it, so the gaps between lines are exactly what the test says.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const h = handshake();
    const stuck: number[] = [];
    let lines = 0;
    const script = [1, 2, 3, 4].map((i) => `${h.waitFor(`go${i}`)}; echo ${i}`).join('; ');
    const running = runStreaming(['sh', '-c', `${script}; exec sleep 30`], {
      inactivityMs: 500,
      stuckMs: 250,
      onStuck: (ms) => stuck.push(ms),
      killGraceMs: 500,
      onLine: () => void (lines += 1),
    });
    for (let i = 1; i <= 4; i += 1) {
      if (i > 1) vi.advanceTimersByTime(150); // 150 ms between lines: under both limits
      h.go(`go${i}`);
      expect(await until(() => lines === i)).toBe(true);
    }
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(249);
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(stuck).toEqual([250]); // once for this silence
    vi.advanceTimersByTime(250);
    const r = await running; // stopped at 500 ms of silence: SIGTERM ends the sleep
    expect(r).toMatchObject({ inactive: true, signal: 'SIGTERM' });
    expect(r.durationMs).toBe(3 * 150 + 500); // the lines kept it alive
    expect(stuck).toEqual([250]);
  });

  it('cancels by AbortSignal: SIGTERM, then SIGKILL after the grace', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    // Cancelled once it said it ignores SIGTERM, not after a guessed delay (a SIGTERM before the trap would end it).
    const r = await runStreaming(['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], {
      signal: ac.signal,
      killGraceMs: 300,
      onLine: (line) => line === 'ready' && ac.abort(),
    });
    expect(r).toMatchObject({ cancelled: true, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeLessThan(20_000); // the loop would never end by itself
  });

  it('runs the extra rung between SIGTERM and SIGKILL', async () => {
    const rungs: string[] = [];
    const ac = new AbortController();
    const r = await runStreaming(['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], {
      signal: ac.signal,
      onLine: (line) => line === 'ready' && ac.abort(),
      killGraceMs: 200,
      beforeForceKill: async () => {
        rungs.push('rung');
      },
    });
    expect(rungs).toEqual(['rung']);
    expect(r.signal).toBe('SIGKILL');
  });

  it('with processGroup, a cancel kills the grandchildren too', async () => {
    const ac = new AbortController();
    let grandchild = 0;
    const r = await runStreaming(['sh', '-c', "sh -c 'trap \"\" TERM; echo $$; exec sleep 30' & wait"], {
      signal: ac.signal,
      processGroup: true,
      killGraceMs: 300,
      onLine: (l) => {
        grandchild = Number(l);
        ac.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(grandchild).toBeGreaterThan(0);
    // SIGKILL is sent before runStreaming returns; the kernel takes a moment to end it.
    expect(await until(() => !alive(grandchild))).toBe(true);
  });

  it('reports a program that does not exist', async () => {
    const r = await runStreaming(['lem-tui-no-such-program']);
    expect(r.spawnError).toMatch(/ENOENT/);
    expect(r.exitCode).toBeNull();
  });
});

describe('capture', () => {
  it('collects output and never throws', async () => {
    expect(await capture(['sh', '-c', 'echo out; echo err >&2; exit 2'])).toMatchObject({
      exitCode: 2,
      stdout: 'out',
      stderr: 'err',
      spawnError: null,
    });
    expect((await capture(['lem-tui-no-such-program'])).spawnError).toMatch(/ENOENT/);
    expect(await capture(['sleep', '5'], { timeoutMs: 100 })).toMatchObject({ timedOut: true });
  });
});

// Node signals pid 0 (our own process group: this test runner, its shell)
// when asked to kill a child whose spawn has not yet failed. Seen with the
// GPU sampler: a campaign with nothing to run stopped nvidia-smi's probe
// while its ENOENT was pending, and SIGTERMed lem-tui's parent shell.
describe('stopping a program that could not start', () => {
  it('capture: an abort before the ENOENT is reported signals nothing', async () => {
    const controller = new AbortController();
    const ended = capture(['lem-tui-no-such-program'], { signal: controller.signal });
    controller.abort();
    const r = await ended;
    expect(r.spawnError).toMatch(/ENOENT/);
    await new Promise((resolve) => setTimeout(resolve, 200)); // a SIGTERM to our group would have landed by now
  });

  it('runStreaming: the same for a streaming program', async () => {
    const controller = new AbortController();
    const ended = runStreaming(['lem-tui-no-such-program'], { signal: controller.signal });
    controller.abort();
    const r = await ended;
    expect(r.spawnError).toMatch(/ENOENT/);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});

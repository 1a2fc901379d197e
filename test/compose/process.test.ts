// runStreaming and capture against real host processes (sh, sleep): fast.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capture, runStreaming } from '../../source/compose/process.js';

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
    const seen: [string, string, number][] = [];
    const t0 = Date.now();
    const r = await runStreaming(['sh', '-c', 'echo one; sleep 0.3; echo two >&2; printf "three"; exit 4'], {
      onLine: (line, stream) => seen.push([line, stream, Date.now() - t0]),
    });
    expect(seen.map(([l, s]) => [l, s])).toEqual([
      ['one', 'stdout'],
      ['two', 'stderr'],
      ['three', 'stdout'],
    ]);
    expect(seen[0]![2]).toBeLessThan(seen[1]![2] - 200); // "one" arrived before the sleep ended
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
    const r = await runStreaming(['sleep', '10'], { timeoutMs: 200, killGraceMs: 500 });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGTERM', exitCode: null });
    expect(r.durationMs).toBeLessThan(2000);
  });

  it('stops on inactivity, reset by each line, and reports stuck once per silence', async () => {
    const stuck: number[] = [];
    const r = await runStreaming(['sh', '-c', 'for i in 1 2 3 4; do echo $i; sleep 0.15; done; sleep 5'], {
      inactivityMs: 500,
      stuckMs: 250,
      onStuck: (ms) => stuck.push(ms),
      killGraceMs: 500,
    });
    expect(r.inactive).toBe(true);
    expect(r.durationMs).toBeGreaterThan(600 + 400); // lines kept it alive for ~0.6 s
    expect(r.durationMs).toBeLessThan(3000); // the orphaned `sleep 10` does not hold us
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toBeGreaterThanOrEqual(240);
  });

  it('cancels by AbortSignal: SIGTERM, then SIGKILL after the grace', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await runStreaming(['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], {
      signal: ac.signal,
      killGraceMs: 300,
    });
    expect(r).toMatchObject({ cancelled: true, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('runs the extra rung between SIGTERM and SIGKILL', async () => {
    const rungs: string[] = [];
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await runStreaming(['sh', '-c', "trap '' TERM; while :; do sleep 0.05; done"], {
      signal: ac.signal,
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
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(grandchild)).toBe(false);
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

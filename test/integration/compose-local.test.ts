// Local dispatch: the harness as a host process group (no engine needed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLocalDispatcher } from '../../source/dispatch/localDispatcher.js';
import { lineSink, request, sleep } from '../helpers/docker.js';

// A zombie (killed, not yet reaped) counts as dead.
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

// Starts two grandchildren, one of which ignores SIGTERM, and prints their pids.
const FAMILY = [
  'sh',
  '-c',
  "sleep 30 & a=$!; sh -c 'trap \"\" TERM; exec sleep 30' & b=$!; echo \"$a $b\"; echo \"tok=$HF_TOKEN home=${HOME:+set}\"; wait",
];

describe('local dispatch', () => {
  const signal = () => new AbortController().signal;

  it('runs the argv with env merged over process.env; describe masks secrets', async () => {
    const d = createLocalDispatcher({ killGraceMs: 500 });
    const req = request('pytorch', ['sh', '-c', 'echo "$LEM_CYCLE $HF_TOKEN ${PATH:+path}"; exit 2'], {
      env: { LEM_CYCLE: '3', HF_TOKEN: 'hf_local' },
      secretKeys: ['HF_TOKEN'],
    });
    expect(d.describe(req)).toEqual(['env', 'LEM_CYCLE=3', 'HF_TOKEN=***', 'sh', '-c', req.argv[2]]);
    const sink = lineSink();
    const out = await d.run(req, { signal: signal(), onLine: sink.onLine });
    expect(sink.stdout()).toEqual(['3 hf_local path']);
    expect(out).toMatchObject({ exitCode: 2, reason: 'exited with code 2' });
  });

  it('a cancel kills the whole process group: no grandchild survives', async () => {
    const d = createLocalDispatcher({ killGraceMs: 500 });
    const ac = new AbortController();
    const sink = lineSink();
    const running = d.run(request('x', FAMILY, { env: { HF_TOKEN: 't' } }), { signal: ac.signal, onLine: sink.onLine });
    while (sink.stdout().length < 2) await sleep(10);
    const pids = sink.stdout()[0]!.split(' ').map(Number);
    expect(pids.every(alive)).toBe(true);
    ac.abort();
    const out = await running;
    expect(out).toMatchObject({ cancelled: true, reason: 'cancelled' });
    await sleep(200);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a timeout kills the whole process group too', async () => {
    const d = createLocalDispatcher({ killGraceMs: 300 });
    const sink = lineSink();
    const out = await d.run(request('x', FAMILY, { timeoutMs: 500 }), { signal: signal(), onLine: sink.onLine });
    expect(out).toMatchObject({ timedOut: true, reason: 'timed out after 0.5 s: killed' });
    const pids = sink.stdout()[0]!.split(' ').map(Number);
    await sleep(200);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('killed by a signal lem-tui did not send (the OOM killer): retryable, like 137, and nothing of its group runs on', async () => {
    const d = createLocalDispatcher({ killGraceMs: 300 });
    const sink = lineSink();
    const killedItself = ['sh', '-c', "sleep 30 & echo \"$!\"; sh -c 'trap \"\" TERM; exec sleep 30' & echo \"$!\"; sleep 0.2; kill -KILL $$"];
    const out = await d.run(request('x', killedItself), { signal: signal(), onLine: sink.onLine });
    expect(out).toMatchObject({ exitCode: null, signal: 'SIGKILL', cancelled: false, retryable: true });
    expect(out.reason).toMatch(/SIGKILL.*137/);
    expect(sink.stdout().map(Number).filter(alive)).toEqual([]); // the grandchildren, even the one that ignores SIGTERM
    // lem-tui's own stops are not faults of the harness: a cancel stays not retryable.
    const ac = new AbortController();
    const cancelled = d.run(request('x', ['sh', '-c', 'echo up; sleep 30']), { signal: ac.signal, onLine: () => ac.abort() });
    expect(await cancelled).toMatchObject({ cancelled: true });
    expect((await cancelled).retryable).toBeUndefined();
  });

  it('teardown stops a running experiment', async () => {
    const d = createLocalDispatcher({ killGraceMs: 300 });
    const sink = lineSink();
    const running = d.run(request('x', FAMILY), { signal: signal(), onLine: sink.onLine });
    while (sink.stdout().length < 1) await sleep(10);
    await d.shutdown();
    expect((await running).cancelled).toBe(true);
  });

  it('a harness that does not exist', async () => {
    const d = createLocalDispatcher();
    const out = await d.run(request('x', ['/nonexistent/lem', 'experiment']), { signal: signal(), onLine: () => {} });
    expect(out.reason).toMatch(/could not start.*ENOENT/);
  });
});

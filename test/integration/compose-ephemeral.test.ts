// Ephemeral strategy (`run --rm`) against the real engine and compose CLI.
import { describe, expect, it } from 'vitest';
import { createEphemeralDispatcher } from '../../source/dispatch/ephemeralDispatcher.js';
import { capture } from '../../source/io/process/process.js';
import type { ContainerState } from '../../source/domain/containerState.js';
import { COMPOSE_COMMAND, engineForTests, lineSink, request, sleep, useDockerSuite } from '../helpers/docker.js';

const engine = await engineForTests();

const exists = async (name: string) => (await capture(['docker', 'inspect', '--type', 'container', name])).exitCode === 0;

describe.runIf(engine)('ephemeral dispatch (real engine)', () => {
  const suite = useDockerSuite();
  const dispatcher = (tag: string, killGraceMs = 1000) => {
    const logs: string[] = [];
    const d = createEphemeralDispatcher({
      target: suite.target(suite.project(tag)),
      killGraceMs,
      stopGraceSeconds: 1,
      reconcileMs: 1000,
      onLog: (l) => logs.push(l),
    });
    return { d, logs };
  };
  const signal = () => new AbortController().signal;

  it('run --rm: streams output, passes env, hides secrets, removes the container, reports states', async () => {
    const { d } = dispatcher('roundtrip');
    const states: ContainerState[] = [];
    d.onState((s) => states.push(s));
    try {
      await d.prepare(signal());
      const req = request('pytorch', ['sh', '-c', 'echo "n=$LEM_CAMPAIGN_NAME t=$HF_TOKEN"; sleep 0.3; echo bye; exit 5'], {
        expId: 'cfg_1-c1',
        env: { LEM_CAMPAIGN_NAME: 'demo', HF_TOKEN: 'hf_zzz' },
        secretKeys: ['HF_TOKEN'],
      });
      const name = d.nextContainerName(req.expId);
      const shown = d.describe(req);
      expect(shown.join(' ')).toContain(`run --rm -T --name ${name} -e LEM_CAMPAIGN_NAME=demo -e HF_TOKEN=*** pytorch sh -c`);
      expect(shown.join(' ')).not.toContain('hf_zzz');

      const sink = lineSink();
      const out = await d.run(req, { signal: signal(), onLine: sink.onLine });
      expect(out).toMatchObject({ exitCode: 5, reason: 'exited with code 5', cancelled: false, timedOut: false });
      expect(sink.stdout()).toEqual(['n=demo t=hf_zzz', 'bye']);
      expect(await exists(name)).toBe(false);
      // The watcher saw the one-off container run and end.
      await sleep(300);
      const mine = states.filter((s) => s.service === 'pytorch');
      expect(mine.some((s) => s.status === 'running')).toBe(true);
      expect(mine.some((s) => s.status === 'exited' && s.lastExitCode === 5)).toBe(true);
      // A second attempt of the same experiment gets a new name.
      expect(d.nextContainerName(req.expId)).not.toBe(name);
    } finally {
      await d.shutdown();
      await d.shutdown();
    }
  });

  it('a hung command with a timeout is killed and its container removed', async () => {
    const { d } = dispatcher('hang');
    try {
      await d.prepare(signal());
      const req = request('pytorch', ['sh', '-c', 'echo hanging; sleep 60'], { expId: 'hang', timeoutMs: 1500 });
      const name = d.nextContainerName(req.expId);
      const t0 = Date.now();
      const out = await d.run(req, { signal: signal(), onLine: () => {} });
      expect(out).toMatchObject({ timedOut: true, reason: 'timed out after 1.5 s: killed' });
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(await exists(name)).toBe(false);
    } finally {
      await d.shutdown();
    }
  });

  it('a container that ignores SIGTERM: SIGTERM → docker kill → SIGKILL → rm -f', async () => {
    const { d, logs } = dispatcher('ladder', 1000);
    try {
      await d.prepare(signal());
      const req = request('stubborn', ['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 1; done"], { expId: 'stubborn' });
      const name = d.nextContainerName(req.expId);
      const ac = new AbortController();
      const sink = lineSink();
      const running = d.run(req, { signal: ac.signal, onLine: sink.onLine });
      while (!sink.stdout().includes('ready')) await sleep(20);
      const t0 = Date.now();
      ac.abort();
      const out = await running;
      const took = Date.now() - t0;
      expect(out).toMatchObject({ cancelled: true, reason: 'cancelled' });
      // v1's client stops the container on SIGTERM and waits: the ladder's
      // docker kill ends it. v2's client leaves at once and the container
      // runs on: the engine stops it with the same grace.
      const rung = COMPOSE_COMMAND === 'docker-compose' ? `${name} did not stop within 1000 ms: docker kill` : `${name} outlived its compose client`;
      expect(logs.some((l) => l.includes(rung)), logs.join('\n')).toBe(true);
      expect(took).toBeGreaterThanOrEqual(900); // the SIGTERM rung got its grace
      expect(took).toBeLessThan(6000); // and compose's own 20 s stop grace was not waited for
      expect(await exists(name)).toBe(false);
    } finally {
      await d.shutdown();
    }
  });

  it('restartService kills the running one-off container: the run ends as killed', async () => {
    const { d } = dispatcher('restart');
    try {
      await d.prepare(signal());
      const sink = lineSink();
      const running = d.run(request('vllm', ['sh', '-c', 'echo up; sleep 30'], { expId: 'r' }), { signal: signal(), onLine: sink.onLine });
      while (!sink.stdout().includes('up')) await sleep(20);
      await d.restart('vllm');
      const out = await running;
      expect(out.exitCode).toBe(137);
      expect(out.reason).toMatch(/^killed \(exit 137/);
    } finally {
      await d.shutdown();
    }
  });

  it('teardown stops a run in progress and leaves nothing', async () => {
    const { d } = dispatcher('teardown');
    await d.prepare(signal());
    const sink = lineSink();
    const running = d.run(request('pytorch', ['sh', '-c', 'echo up; sleep 30'], { expId: 't' }), { signal: signal(), onLine: sink.onLine });
    while (!sink.stdout().includes('up')) await sleep(20);
    await d.shutdown();
    const out = await running;
    expect(out.cancelled).toBe(true);
  });

  it('a command that does not exist', async () => {
    const { d } = dispatcher('notfound');
    try {
      const out = await d.run(request('pytorch', ['no-such-command'], { expId: 'nf' }), { signal: signal(), onLine: () => {} });
      expect(out.exitCode).toBe(127);
      expect(out.reason).toMatch(/not found/);
    } finally {
      await d.shutdown();
    }
  });
});

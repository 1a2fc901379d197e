// Persistent strategy against the real engine and compose CLI.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerManager, ServiceStartError, withContainers } from '../../source/compose/ContainerManager.js';
import { createPersistentDispatcher } from '../../source/dispatch/persistentDispatcher.js';
import { capture } from '../../source/io/process/process.js';
import type { ContainerState } from '../../source/domain/containerState.js';
import { engineForTests, lineSink, request, sleep, useDockerSuite } from '../helpers/docker.js';

const engine = await engineForTests();

describe.runIf(engine)('persistent dispatch (real engine)', () => {
  const suite = useDockerSuite();
  let stateDir = '';
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'lem-persist-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });
  const manager = (tag: string, services = ['pytorch'], extra: Partial<ConstructorParameters<typeof ContainerManager>[0]> = {}) =>
    new ContainerManager({
      target: suite.target(suite.project(tag)),
      services,
      stateDir,
      stopGraceSeconds: 1,
      killGraceMs: 1000,
      reconcileMs: 1000,
      ...extra,
    });
  const signal = () => new AbortController().signal;

  it('up, exec (streaming line by line, env, secrets), restart, down', async () => {
    const m = manager('roundtrip', ['pytorch', 'vllm']);
    const d = createPersistentDispatcher(m);
    const states: ContainerState[] = [];
    d.onState((s) => states.push(s));
    try {
      await d.prepare(signal());
      expect(m.states().map((s) => [s.service, s.status]).sort()).toEqual([
        ['pytorch', 'running'],
        ['vllm', 'running'],
      ]);

      const req = request('pytorch', ['sh', '-c', 'echo "cycle=$LEM_CYCLE token=$HF_TOKEN"; sleep 0.4; echo late >&2; sleep 0.1; echo done'], {
        env: { LEM_CYCLE: '2', HF_TOKEN: 'hf_s3cret' },
        secretKeys: ['HF_TOKEN'],
      });
      const shown = d.describe(req).join(' ');
      expect(shown).toContain('exec -T -e LEM_CYCLE=2 -e HF_TOKEN=*** pytorch sh -c');
      expect(shown).not.toContain('hf_s3cret');

      const sink = lineSink();
      const out = await d.run(req, { signal: signal(), onLine: sink.onLine });
      expect(out).toMatchObject({ exitCode: 0, cancelled: false, timedOut: false, reason: null });
      expect(sink.lines.map((l) => [l.line, l.stream])).toEqual([
        ['cycle=2 token=hf_s3cret', 'stdout'],
        ['late', 'stderr'],
        ['done', 'stdout'],
      ]);
      // Line by line: the first line arrived well before the last.
      expect(sink.lines[2]!.at - sink.lines[0]!.at).toBeGreaterThan(250);

      const fail = await d.run(request('vllm', ['sh', '-c', 'exit 3']), { signal: signal(), onLine: () => {} });
      expect(fail).toMatchObject({ exitCode: 3, reason: 'exited with code 3' });

      const before = m.watcher.state('vllm')!;
      await d.restart('vllm');
      const after = m.watcher.state('vllm')!;
      expect(after.status).toBe('running');
      expect(after.restarts).toBe(before.restarts + 1);
      expect(states.some((s) => s.service === 'vllm' && s.status === 'exited')).toBe(true);
    } finally {
      await d.shutdown();
      await d.shutdown(); // safe twice
    }
  });

  it('docker kill during an exec: failure reason, exited within 2 s, next exec recovers', async () => {
    const m = manager('kill');
    try {
      await m.startAll(signal());
      const id = m.watcher.state('pytorch')!.containerId!;
      const sink = lineSink();
      const running = m.exec('pytorch', request('pytorch', ['sh', '-c', 'echo started; sleep 30']), {
        signal: signal(),
        onLine: sink.onLine,
      });
      while (!sink.stdout().includes('started')) await sleep(20);
      const killedAt = Date.now();
      const kill = await capture(['docker', 'kill', id]);
      expect(kill.exitCode).toBe(0);
      const seen = await m.watcher.waitFor('pytorch', (s) => s.status === 'exited', 2000);
      expect(seen, 'the watcher saw the kill').not.toBeNull();
      expect(Date.now() - killedAt).toBeLessThan(2000);
      expect(seen!.lastExitCode).toBe(137);

      const out = await running;
      expect(out.exitCode).not.toBe(0);
      expect(out.reason).toMatch(/service pytorch stopped during the experiment \(container exit 137\)/);

      const restartsBefore = m.watcher.state('pytorch')!.restarts;
      const next = await m.exec('pytorch', request('pytorch', ['echo', 'again']), { signal: signal(), onLine: () => {} });
      expect(next).toMatchObject({ exitCode: 0, reason: null });
      expect(m.watcher.state('pytorch')).toMatchObject({ status: 'running', restarts: restartsBefore + 1 });
    } finally {
      await m.stopAll();
    }
  });

  it('a hung command with a timeout is killed and its service restarted', async () => {
    const m = manager('hang');
    try {
      await m.startAll(signal());
      const firstId = m.watcher.state('pytorch')!.containerId;
      const t0 = Date.now();
      const out = await m.exec('pytorch', request('pytorch', ['sh', '-c', 'echo hanging; sleep 60'], { timeoutMs: 800 }), {
        signal: signal(),
        onLine: () => {},
      });
      expect(out).toMatchObject({ timedOut: true, cancelled: false });
      expect(out.reason).toMatch(/timed out after 0.8 s/);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const st = m.watcher.state('pytorch')!;
      expect(st).toMatchObject({ status: 'running', restarts: 1, containerId: firstId });
      // The hung command did not survive the restart.
      const ps = await capture(['docker', 'exec', firstId!, 'ps', '-o', 'args']);
      expect(ps.stdout).not.toContain('sleep 60');
    } finally {
      await m.stopAll();
    }
  });

  it('an exec silent for too long is stopped as hung; stuck is reported first', async () => {
    const m = manager('silent');
    try {
      await m.startAll(signal());
      const stuck: number[] = [];
      const out = await m.exec('pytorch', request('pytorch', ['sh', '-c', 'echo hi; sleep 60'], { inactivityMs: 900, stuckMs: 400 }), {
        signal: signal(),
        onLine: () => {},
        onStuck: (ms) => stuck.push(ms),
      });
      expect(out.timedOut).toBe(true);
      expect(out.reason).toMatch(/no output after 0.9 s/);
      // Once per silent stretch: the compose client's own start-up (~0.7 s for
      // v1) is silence too, so "stuck" may come once before "hi" and once after.
      expect(stuck.length).toBeGreaterThanOrEqual(1);
      expect(stuck.every((ms) => ms >= 390)).toBe(true);
    } finally {
      await m.stopAll();
    }
  });

  it('a cancelled exec kills its service; the next exec starts it again', async () => {
    const m = manager('cancel');
    try {
      await m.startAll(signal());
      const ac = new AbortController();
      const sink = lineSink();
      const running = m.exec('pytorch', request('pytorch', ['sh', '-c', 'echo go; sleep 60']), { signal: ac.signal, onLine: sink.onLine });
      while (!sink.stdout().includes('go')) await sleep(20);
      ac.abort();
      const out = await running;
      expect(out).toMatchObject({ cancelled: true, reason: 'cancelled' });
      expect((await m.watcher.waitFor('pytorch', (s) => s.status === 'exited', 2000))?.status).toBe('exited');
      const next = await m.exec('pytorch', request('pytorch', ['true']), { signal: signal(), onLine: () => {} });
      expect(next.exitCode).toBe(0);
    } finally {
      await m.stopAll();
    }
  });

  it('a service torn down just after a restart did not "exit right after start" (ended by a signal, not its command)', async () => {
    const m = manager('early-down');
    const d = createPersistentDispatcher(m);
    const states: ContainerState[] = [];
    d.onState((s) => states.push(s));
    try {
      await d.prepare(signal());
      await d.restart('pytorch');
    } finally {
      await d.shutdown(); // within the 3 s in which an exit would count as early
    }
    expect(states.some((s) => s.status === 'exited' && (s.lastExitCode ?? 0) > 128), 'it was stopped by a signal').toBe(true);
    expect(states.filter((s) => s.message?.includes('right after start'))).toEqual([]);
  }, 60_000);

  it('reports a service that exits right after start (no keep-alive override)', async () => {
    const m = manager('early', ['pytorch'], { noOverride: true });
    try {
      const err = await m.startAll(signal()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceStartError);
      expect((err as Error).message).toMatch(/service pytorch exited right after start \(exit 0\)/);
      expect(m.watcher.state('pytorch')!.message).toMatch(/exited right after start/);
    } finally {
      await m.stopAll();
    }
  });

  it('reports a service whose entrypoint fails before the keep-alive runs (with the override)', async () => {
    const m = manager('badentry', ['pytorch', 'badentry']);
    try {
      const err = await m.startAll(signal()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceStartError);
      expect((err as Error).message).toMatch(/service badentry exited right after start \(exit 3\)/);
      expect(m.watcher.state('pytorch')!.status).toBe('running');
    } finally {
      await m.stopAll();
    }
  });

  it('stopAll takes down a service that ignores SIGTERM within its grace', async () => {
    const m = manager('stubborn', ['stubborn'], { noOverride: true });
    try {
      await m.startAll(signal());
      const t0 = Date.now();
      const report = await m.stopAll();
      expect(report.failed).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(8000);
    } finally {
      await m.stopAll();
    }
  });

  it('withContainers tears down on every exit path, or says what is left', async () => {
    const m1 = manager('with-throw');
    await expect(
      withContainers(
        m1,
        async (mm) => {
          await mm.startAll(signal());
          throw new Error('boom');
        },
        { autoTeardown: true },
      ),
    ).rejects.toThrow('boom');
    const left1 = await capture(['docker', 'ps', '-aq', '--filter', `label=com.docker.compose.project=${m1.project}`]);
    expect(left1.stdout).toBe('');

    const m2 = manager('with-keep');
    const { result, left } = await withContainers(
      m2,
      async (mm) => {
        await mm.startAll(signal());
        return 42;
      },
      { autoTeardown: false },
    );
    expect(result).toBe(42);
    expect(left!.containers).toHaveLength(1);
    expect(left!.stopCommand.join(' ')).toContain(`-p ${m2.project}`);
    expect(left!.stopCommand.slice(-4)).toEqual(['down', '--remove-orphans', '-t', '1']);
    // The test cleans up what it deliberately left.
    await m2.stopAll();
  });
});

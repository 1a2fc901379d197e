// Persistent dispatch with GPU slots against the real engine and compose CLI:
// one long-lived service per (service, slot), "pytorch-gpu0" and
// "pytorch-gpu1", each with its own CUDA_VISIBLE_DEVICES/NVIDIA_VISIBLE_DEVICES.
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerManager, type ContainerManagerOptions } from '../../source/compose/ContainerManager.js';
import { createPersistentDispatcher } from '../../source/dispatch/persistentDispatcher.js';
import { capture } from '../../source/io/process/process.js';
import { ourLastExit } from '../../source/state/ourRestarts.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { createStore } from '../../source/state/store.js';
import { engineForTests, lineSink, request, ROOT, sleep, useDockerSuite } from '../helpers/docker.js';

/** Polls until `test` holds; throws after 15 s. */
async function until(test: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const engine = await engineForTests();
const SLOTS = [
  { labels: ['0'], visibleDevices: '0' },
  { labels: ['1'], visibleDevices: 'GPU-test-1' },
];
const signal = () => new AbortController().signal;

async function containerEnv(id: string): Promise<Record<string, string>> {
  const r = await capture(['docker', 'inspect', '--format', '{{json .Config.Env}}', id]);
  return Object.fromEntries((JSON.parse(r.stdout) as string[]).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

async function projectContainers(project: string): Promise<string> {
  return (await capture(['docker', 'ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout;
}

describe.runIf(engine)('persistent dispatch, one service per GPU slot (real engine)', () => {
  const suite = useDockerSuite();
  let stateDir = '';
  const dirs: string[] = [];
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'lem-persist-gpus-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const manager = (tag: string, extra: Partial<ContainerManagerOptions> = {}) =>
    new ContainerManager({
      target: suite.target(suite.project(tag)),
      services: ['pytorch'],
      gpuSlots: SLOTS,
      stateDir,
      stopGraceSeconds: 1,
      killGraceMs: 1000,
      reconcileMs: 1000,
      ...extra,
    });
  const onGpu = (gpu: string, argv: string[]) => request('pytorch', argv, { gpus: [gpu], env: { CUDA_VISIBLE_DEVICES: gpu } });

  it('prepare starts one container per slot with its devices; two execs run at once, each in its own', async () => {
    const m = manager('two');
    const d = createPersistentDispatcher(m);
    try {
      expect(d.commands.up!.slice(-4)).toEqual(['up', '-d', 'pytorch-gpu0', 'pytorch-gpu1']);
      await d.prepare(signal());
      expect(m.states().map((s) => [s.service, s.status])).toEqual([
        ['pytorch-gpu0', 'running'],
        ['pytorch-gpu1', 'running'],
      ]);
      const [id0, id1] = ['pytorch-gpu0', 'pytorch-gpu1'].map((s) => m.watcher.state(s)!.containerId!);
      expect(id0).not.toBe(id1);
      expect(await containerEnv(id0!)).toMatchObject({ CUDA_VISIBLE_DEVICES: '0', NVIDIA_VISIBLE_DEVICES: '0' });
      expect(await containerEnv(id1!)).toMatchObject({ CUDA_VISIBLE_DEVICES: 'GPU-test-1', NVIDIA_VISIBLE_DEVICES: 'GPU-test-1' });
      // Only the per-GPU services run: not the base one.
      expect((await projectContainers(m.project)).split('\n').filter(Boolean)).toHaveLength(2);

      const script = ['sh', '-c', 'echo "host=$(hostname) nvidia=$NVIDIA_VISIBLE_DEVICES"; sleep 1.5; echo done'];
      const sinks = [lineSink(), lineSink()];
      const ended: number[] = [];
      const runs = ['0', '1'].map((gpu, i) =>
        d.run(onGpu(gpu, script), { signal: signal(), onLine: sinks[i]!.onLine }).then((o) => {
          ended[i] = Date.now();
          return o;
        }),
      );
      const outs = await Promise.all(runs);
      for (const o of outs) expect(o).toMatchObject({ exitCode: 0, reason: null });
      const first = sinks.map((s) => s.lines[0]!);
      expect(first[0]!.line).toBe(`host=${id0!.slice(0, 12)} nvidia=0`);
      expect(first[1]!.line).toBe(`host=${id1!.slice(0, 12)} nvidia=GPU-test-1`);
      // They overlapped: each started before the other ended.
      expect(first[0]!.at).toBeLessThan(ended[1]!);
      expect(first[1]!.at).toBeLessThan(ended[0]!);
    } finally {
      await d.shutdown();
    }
    expect(await projectContainers(m.project)).toBe('');
  }, 60_000);

  it("docker kill of slot 0's container: its run fails, slot 1's completes, the next exec on slot 0 restarts it", async () => {
    const m = manager('kill');
    const d = createPersistentDispatcher(m);
    try {
      await d.prepare(signal());
      const id0 = m.watcher.state('pytorch-gpu0')!.containerId!;
      const id1 = m.watcher.state('pytorch-gpu1')!.containerId!;
      const [s0, s1] = [lineSink(), lineSink()];
      const run0 = d.run(onGpu('0', ['sh', '-c', 'echo started; sleep 30']), { signal: signal(), onLine: s0.onLine });
      // Slot 1 runs on through slot 0's death and its recovery.
      let run1EndedAt = 0;
      const run1 = d
        .run(onGpu('1', ['sh', '-c', 'echo started; sleep 15; echo finished']), { signal: signal(), onLine: s1.onLine })
        .finally(() => (run1EndedAt = Date.now()));
      while (!s0.stdout().includes('started') || !s1.stdout().includes('started')) await sleep(20);
      expect((await capture(['docker', 'kill', id0])).exitCode).toBe(0);

      const out0 = await run0;
      expect(out0.exitCode).not.toBe(0);
      expect(out0.reason).toMatch(/service pytorch-gpu0 stopped during the experiment \(container exit 137\)/);
      const next = await d.run(onGpu('0', ['echo', 'again']), { signal: signal(), onLine: () => {} });
      expect(next).toMatchObject({ exitCode: 0, reason: null });
      expect(run1EndedAt, 'slot 0 came back while slot 1 still ran').toBe(0);
      expect(m.watcher.state('pytorch-gpu0')).toMatchObject({ status: 'running', restarts: 1 });

      const out1 = await run1;
      expect(out1).toMatchObject({ exitCode: 0, reason: null });
      expect(s1.stdout()).toEqual(['started', 'finished']);
      expect(m.watcher.state('pytorch-gpu1')).toMatchObject({ status: 'running', containerId: id1, restarts: 0 });
    } finally {
      await d.shutdown();
    }
    expect(await projectContainers(m.project)).toBe('');
  }, 60_000);

  it("restart of slot 1's service restarts only its container", async () => {
    const m = manager('restart');
    const d = createPersistentDispatcher(m);
    try {
      await d.prepare(signal());
      const before0 = m.watcher.state('pytorch-gpu0')!;
      const before1 = m.watcher.state('pytorch-gpu1')!;
      await sleep(1100); // the engine's start times have a resolution of ~1 s in some places: make a change visible
      await d.restart(d.serviceFor!('pytorch', ['1']));
      const after0 = m.watcher.state('pytorch-gpu0')!;
      const after1 = m.watcher.state('pytorch-gpu1')!;
      expect(after1).toMatchObject({ status: 'running', restarts: before1.restarts + 1 });
      expect(after1.startedAt).toBeGreaterThan(before1.startedAt!);
      expect(after0).toMatchObject({ status: 'running', restarts: before0.restarts, containerId: before0.containerId });
      // The same start: the event's time and docker inspect's StartedAt may differ by a few ms (one replaces the other).
      expect(Math.abs(after0.startedAt! - before0.startedAt!)).toBeLessThan(500);
      const started0 = await capture(['docker', 'inspect', '--format', '{{.State.StartedAt}}', before0.containerId!]);
      expect(Date.parse(started0.stdout.trim())).toBeLessThan(after1.startedAt!);
    } finally {
      await d.shutdown();
    }
    expect(await projectContainers(m.project)).toBe('');
  }, 60_000);

  it('the state tells a restart lem-tui made (residual memory) from a kill by someone else, from the real events (issue 25, item 14)', async () => {
    const m = manager('ours');
    const d = createPersistentDispatcher(m);
    const store = createStore(campaignReducer, initialCampaignState());
    const seen: string[] = []; // the states as they came: the message of a failure
    const off = d.onState((state) => {
      seen.push(`${state.service} ${state.status} exit=${state.lastExitCode} restarts=${state.restarts}`);
      store.dispatch({ type: 'service/state', at: Date.now(), state });
    });
    try {
      await d.prepare(signal());
      const [gpu0, gpu1] = ['pytorch-gpu0', 'pytorch-gpu1'];
      // As ServiceHealth does: say why, then restart.
      store.dispatch({ type: 'service/restarting', at: Date.now(), service: gpu0, why: 'residual memory' });
      await d.restart(gpu0);
      await until(() => store.getState().services[gpu0]?.status === 'running' && store.getState().services[gpu0]?.restarts === 1, 'gpu0 running again');
      expect(store.getState().services[gpu0]).toMatchObject({ lastExitCode: 137 });
      expect(ourLastExit(store.getState(), gpu0), seen.join('\n')).toBe('restarted by lem-tui (residual memory)');
      // A kill nobody announced is a crash, on the other slot and on this one.
      for (const service of [gpu1, gpu0]) {
        expect((await capture(['docker', 'kill', m.watcher.state(service)!.containerId!])).exitCode).toBe(0);
        await until(() => store.getState().services[service]?.status === 'exited', `${service} exited`);
        expect(store.getState().services[service]).toMatchObject({ lastExitCode: 137 });
        expect(ourLastExit(store.getState(), service)).toBeNull();
      }
    } finally {
      off();
      await d.shutdown();
    }
    expect(await projectContainers(m.project)).toBe('');
  }, 60_000);

  it("llenergymeasure's compose file (anchors, relative binds, a shared named volume) with a version: base file too", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpus-layout-'));
    dirs.push(dir);
    fs.cpSync(path.join(ROOT, 'fixtures/llenergymeasure'), dir, { recursive: true });
    const versioned = path.join(dir, 'versioned.yml');
    fs.writeFileSync(
      versioned,
      'version: "2.4"\nservices:\n  pytorch:\n    image: lem-tui-test:latest\n    network_mode: none\n    init: true\n    volumes:\n      - ./scripts:/data:ro\n',
    );
    for (const files of [[path.join(dir, 'docker-compose.yml')], [versioned]]) {
      const m = manager('layout', { target: suite.target(suite.project('layout'), files) });
      const d = createPersistentDispatcher(m);
      try {
        await d.prepare(signal());
        const where = files[0] === versioned ? '/data' : '/app/scripts';
        const probe = ['sh', '-c', `ls ${where}; echo "cuda=$CUDA_VISIBLE_DEVICES"`];
        for (const gpu of ['0', '1']) {
          const sink = lineSink();
          const out = await d.run(request('pytorch', probe, { gpus: [gpu] }), { signal: signal(), onLine: sink.onLine });
          expect(out, sink.stdout().join('\n')).toMatchObject({ exitCode: 0 });
          // The relative bind resolved against the base file's folder; the slot's devices over the base's `${CUDA_VISIBLE_DEVICES:-0}`.
          expect(sink.stdout()).toContain(fs.readdirSync(path.join(dir, 'scripts'))[0]);
          expect(sink.stdout()).toContain(`cuda=${SLOTS[Number(gpu)]!.visibleDevices}`);
        }
        if (files[0] !== versioned) {
          const mounts = await capture(['docker', 'inspect', '--format', '{{range .Mounts}}{{.Name}} {{end}}', ...m.states().map((s) => s.containerId!)]);
          expect(mounts.stdout.split('\n').filter((l) => l.includes('lem-hf-cache'))).toHaveLength(2);
        }
      } finally {
        await d.shutdown();
        // The layout's model cache volumes, which no teardown removes (v2 labels them with the project that created them).
        await capture(['docker', 'volume', 'rm', 'lem-hf-cache', 'lem-trt-engine-cache']);
      }
      expect(await projectContainers(m.project)).toBe('');
    }
  }, 90_000);
});

// The engine with --gpus: one slot per GPU, each experiment told its slot's
// GPUs, never two running experiments on one GPU; skip of one experiment;
// a slot's own service name (persistent mode's per-GPU services).
import { describe, expect, it } from 'vitest';
import { CampaignEngine } from '../../source/campaign/engine.js';
import { createManifest } from '../../source/campaign/manifest.js';
import type { Dispatcher } from '../../source/dispatch/types.js';
import { gpuServiceName, type SlotGpu } from '../../source/domain/gpuSlots.js';
import type { Action } from '../../source/state/types.js';
import { tempDir } from '../config/helpers.js';
import { engineSettings } from './engineSettings.js';
import { fakeDispatcher, until, type HeldRun } from './fakeDispatcher.js';
import { plan } from './planFixture.js';
import { GpuSampleHub } from '../../source/campaign/gpuMeter.js';
import type { GpuReading } from '../../source/domain/gpu.js';

const reading = (index: number, memoryUsedMiB: number): GpuReading => ({
  index, uuid: `GPU-0000000${index}-aaaa`, name: 'NVIDIA H200', powerW: 100, memoryUsedMiB, memoryTotalMiB: 143771, utilizationPct: 0, temperatureC: 40, throttled: false,
});

const gpu = (index: number): SlotGpu => ({ id: String(index), index, uuid: `GPU-0000000${index}-aaaa` });

interface StartOptions {
  where?: 'local' | 'docker';
  serviceFor?: Dispatcher['serviceFor'];
  cycles?: number;
  keepsServicesUp?: boolean;
  hub?: GpuSampleHub;
}

async function startEngine(slots: SlotGpu[][], options: StartOptions = {}) {
  const cwd = await tempDir();
  const thePlan = plan(['a', 'b', 'c', 'd', 'e'], options.cycles ?? 1);
  const settings = { ...engineSettings(cwd), maxRetries: 0 };
  const fake = fakeDispatcher({ capabilities: { restartsServices: true, keepsServicesUp: options.keepsServicesUp ?? false } });
  if (options.serviceFor) fake.dispatcher.serviceFor = options.serviceFor;
  const actions: Action[] = [];
  const engine = new CampaignEngine({
    plan: thePlan,
    settings,
    dispatcher: fake.dispatcher,
    dispatch: (action) => actions.push(action),
    manifest: createManifest(thePlan, { campaignFileHash: 'x', now: new Date(0) }),
    toRun: new Set(thePlan.experiments.map((e) => e.expId)),
    where: options.where ?? 'local',
    env: { CUDA_VISIBLE_DEVICES: '7' },
    caller: { uid: 1000, gid: 1000 },
    needsConfirm: false,
    gpuSlots: slots,
    gpus: options.hub ?? null,
  });
  const running = engine.run();
  return { engine, fake, actions, running };
}

/** Ends open runs one at a time, checking at each step that no two open runs share a GPU. */
async function finishAll(t: Awaited<ReturnType<typeof startEngine>>, done: () => boolean): Promise<void> {
  for (;;) {
    await until(() => done() || t.fake.open().length > 0, 'a run, or the end');
    const open = t.fake.open();
    if (open.length === 0) return;
    const devices = open.map((r) => r.request.env.CUDA_VISIBLE_DEVICES);
    expect(new Set(devices).size).toBe(devices.length);
    open[0]!.finish();
  }
}

describe('engine with --gpus', () => {
  it('runs one experiment per GPU slot at once, each with its own CUDA_VISIBLE_DEVICES, and all of them once', async () => {
    const t = await startEngine([[gpu(0)], [gpu(1)]]);
    let exit: number | null = null;
    void t.running.then((code) => (exit = code));
    await until(() => t.fake.open().length === 2, 'two runs at once');
    const firstTwo = t.fake.open().map((r: HeldRun) => r.request);
    expect(firstTwo.map((r) => r.env.CUDA_VISIBLE_DEVICES).sort()).toEqual(['GPU-00000000-aaaa', 'GPU-00000001-aaaa']);
    expect(firstTwo.map((r) => r.gpus).sort()).toEqual([['0'], ['1']]);
    expect(firstTwo.every((r) => r.env.CUDA_DEVICE_ORDER === 'PCI_BUS_ID')).toBe(true);
    expect(firstTwo.every((r) => !('NVIDIA_VISIBLE_DEVICES' in r.env))).toBe(true); // local dispatch: no container runtime
    await finishAll(t, () => exit !== null);
    expect(await t.running).toBe(0);
    expect(t.fake.runs.map((r) => r.request.expId).sort()).toEqual(['0001', '0002', '0003', '0004', '0005']);
    expect(t.fake.mostAtOnce()).toBe(2);
    const started = t.actions.filter((a) => a.type === 'experiment/started');
    expect(started.every((a) => a.type === 'experiment/started' && a.gpus?.length === 1 && typeof a.slot === 'number')).toBe(true);
  });

  it('a slot of two GPUs (gpus_per_experiment 2): both in CUDA_VISIBLE_DEVICES, and NVIDIA_VISIBLE_DEVICES for a container', async () => {
    const t = await startEngine([[gpu(0), gpu(1)], [gpu(2), gpu(3)]], { where: 'docker' });
    await until(() => t.fake.open().length === 2, 'two runs at once');
    const envs = t.fake.open().map((r) => r.request.env);
    expect(envs.map((e) => e.CUDA_VISIBLE_DEVICES).sort()).toEqual(['GPU-00000000-aaaa,GPU-00000001-aaaa', 'GPU-00000002-aaaa,GPU-00000003-aaaa']);
    expect(envs.every((e) => e.NVIDIA_VISIBLE_DEVICES === e.CUDA_VISIBLE_DEVICES)).toBe(true);
    t.engine.command({ type: 'quit', force: false });
    expect(await t.running).toBe(130);
  });

  it('skip with an experiment id skips that one only; the other slot runs on', async () => {
    const t = await startEngine([[gpu(0)], [gpu(1)]]);
    await until(() => t.fake.open().length === 2, 'two runs at once');
    const [first, second] = t.fake.open();
    t.engine.command({ type: 'skipCurrent', expId: second!.request.expId });
    const skipped = () => t.actions.some((a) => a.type === 'experiment/finished' && a.expId === second!.request.expId);
    await until(skipped, 'the skipped experiment to finish');
    expect(first!.ended).toBe(false);
    t.engine.command({ type: 'quit', force: false });
    await t.running;
    const finished = t.actions.filter((a) => a.type === 'experiment/finished');
    expect(finished.find((a) => a.type === 'experiment/finished' && a.expId === second!.request.expId)).toMatchObject({ status: 'skipped', reason: 'skipped by user' });
  });

  it("a failure restarts the slot's own service (persistent with --gpus), not another slot's", async () => {
    const serviceFor = (service: string, gpus: readonly string[]) => gpuServiceName(service, gpus);
    const t = await startEngine([[gpu(0)], [gpu(1)]], { serviceFor });
    await until(() => t.fake.open().length === 2, 'two runs at once');
    const onGpu1 = t.fake.open().find((r) => r.request.gpus?.[0] === '1')!;
    onGpu1.finish(1);
    await until(() => t.fake.calls.some((c) => c.startsWith('restart')), 'a restart');
    expect(t.fake.calls.filter((c) => c.startsWith('restart'))).toEqual(['restart pytorch-gpu1']);
    t.engine.command({ type: 'quit', force: false });
    await t.running;
  });

  it("each start names the slot's own service it runs in (the views decide busy by it: issue 25, item 2)", async () => {
    const serviceFor = (service: string, gpus: readonly string[]) => gpuServiceName(service, gpus);
    const t = await startEngine([[gpu(0)], [gpu(1)]], { serviceFor });
    await until(() => t.fake.open().length === 2, 'two runs at once');
    const byGpu = t.fake.open().map((r) => [r.request.expId, `pytorch-gpu${r.request.gpus![0]}`]);
    const started = t.actions.flatMap((a) => (a.type === 'experiment/started' ? [[a.expId, a.service]] : []));
    expect(started.sort()).toEqual(byGpu.sort());
    t.engine.command({ type: 'quit', force: false });
    await t.running;
  });

  it("residual memory is checked on each slot's own GPUs: only the slot whose GPU holds memory warns and restarts its own service", async () => {
    const hub = new GpuSampleHub();
    hub.publish({ at: Date.now(), gpus: [reading(0, 300), reading(1, 20_480)] });
    const serviceFor = (service: string, gpus: readonly string[]) => gpuServiceName(service, gpus);
    const t = await startEngine([[gpu(0)], [gpu(1)]], { serviceFor, keepsServicesUp: true, hub });
    await until(() => t.fake.open().length === 2, 'two runs at once');
    const notices = t.actions.flatMap((a) => (a.type === 'notice' ? [a.message] : []));
    expect(notices.filter((m) => m.startsWith('residual'))).toEqual([
      'residual GPU memory before the next experiment: GPU 1 holds 20.0 GiB (more than 1024 MiB that a previous run did not release)',
    ]);
    expect(t.fake.calls.filter((c) => c.startsWith('restart'))).toEqual(['restart pytorch-gpu1']);
    // Said to the state, so the kill's exit 137 reads as ours (issue 25, item 14).
    expect(t.actions.filter((a) => a.type === 'service/restarting')).toMatchObject([{ service: 'pytorch-gpu1', why: 'residual memory' }]);
    t.engine.command({ type: 'quit', force: false });
    await t.running;
  });
});

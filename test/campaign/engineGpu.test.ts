// The engine with GPU telemetry, against an in-memory dispatcher: a
// cool-down gap holds the next experiment until its GPUs are cool (at least
// 5 s), and residual memory before an experiment is said and, where the
// services stay up, freed by a restart.
import { describe, expect, it } from 'vitest';
import { CampaignEngine } from '../../source/campaign/engine.js';
import { GpuSampleHub } from '../../source/campaign/gpuMeter.js';
import { createManifest } from '../../source/campaign/manifest.js';
import type { RunSettings } from '../../source/config/types.js';
import type { GpuReading } from '../../source/domain/gpu.js';
import type { Action } from '../../source/state/types.js';
import { tempDir } from '../config/helpers.js';
import { engineSettings } from './engineSettings.js';
import { fakeDispatcher, until } from './fakeDispatcher.js';
import { plan } from './planFixture.js';

const gpu = (temperatureC: number, memoryUsedMiB = 100): GpuReading => ({
  index: 0, uuid: 'GPU-0', name: 'NVIDIA H200', powerW: 120, memoryUsedMiB, memoryTotalMiB: 143771, utilizationPct: 0, temperatureC, throttled: false,
});

async function start(settingsPatch: Partial<RunSettings>, keepsServicesUp = false) {
  const thePlan = plan(['config_a'], 2);
  const settings = { ...engineSettings(await tempDir()), ...settingsPatch };
  const fake = fakeDispatcher({ capabilities: { keepsServicesUp, restartsServices: keepsServicesUp } });
  const hub = new GpuSampleHub();
  const actions: Action[] = [];
  const engine = new CampaignEngine({
    plan: thePlan, settings, dispatcher: fake.dispatcher, dispatch: (a) => actions.push(a),
    manifest: createManifest(thePlan, { campaignFileHash: 'x', now: new Date(0) }),
    toRun: new Set(thePlan.experiments.map((e) => e.expId)), where: 'local', env: {}, caller: { uid: 1000, gid: 1000 },
    needsConfirm: false, gpus: hub,
  });
  const running = engine.run();
  const started = () => actions.filter((a) => a.type === 'experiment/started').length;
  const notices = () => actions.flatMap((a) => (a.type === 'notice' ? [a.message] : []));
  return { fake, hub, actions, running, started, notices };
}

describe('engine with GPU telemetry', () => {
  it('a cool-down gap waits while the GPU is hot and lets the next experiment start once it is cool', async () => {
    const t = await start({ configGapSeconds: 0, cycleGapSeconds: 0, coolDown: { maxTemperatureC: 50, idlePowerW: null, maxSeconds: 60 } });
    t.hub.publish({ at: Date.now(), gpus: [gpu(70)] });
    await until(() => t.fake.open().length === 1, 'first run');
    t.fake.open()[0]!.finish(0);
    await until(() => t.actions.some((a) => a.type === 'gap/cooling' && a.waitingFor === 'GPU 0: 70 °C → 50 °C'), 'cooling');
    await new Promise((r) => setTimeout(r, 5500)); // past the 5 s minimum, still hot
    expect(t.started()).toBe(1);
    t.hub.publish({ at: Date.now(), gpus: [gpu(45)] });
    await until(() => t.fake.open().length === 1, 'second run');
    expect(t.notices().filter((m) => /^cool-down: GPUs ready after \d+ s$/.test(m))).toHaveLength(1);
    t.fake.open()[0]!.finish(0);
    expect(await t.running).toBe(0);
  }, 20_000);

  it('without cool_down a gap of 0 is no gap, telemetry or not', async () => {
    const t = await start({ configGapSeconds: 0, cycleGapSeconds: 0, coolDown: null });
    t.hub.publish({ at: Date.now(), gpus: [gpu(90)] });
    for (let i = 0; i < 2; i++) {
      await until(() => t.fake.open().length === 1, `run ${i + 1}`);
      t.fake.open()[0]!.finish(0);
    }
    expect(await t.running).toBe(0);
    expect(t.actions.some((a) => a.type === 'gap/started')).toBe(false);
  });

  it('residual memory: warned before each experiment; with long-lived services, the service is restarted first', async () => {
    for (const keepsServicesUp of [false, true]) {
      const t = await start({ configGapSeconds: 0, cycleGapSeconds: 0, residualMemoryMiB: 1024 }, keepsServicesUp);
      t.hub.publish({ at: Date.now(), gpus: [gpu(40, 20_480)] });
      await until(() => t.fake.open().length === 1, 'first run');
      expect(t.notices()[0]).toBe('residual GPU memory before the next experiment: GPU 0 holds 20.0 GiB (more than 1024 MiB that a previous run did not release)');
      expect(t.fake.calls.filter((c) => c.startsWith('restart'))).toEqual(keepsServicesUp ? ['restart pytorch'] : []);
      t.hub.publish({ at: Date.now(), gpus: [gpu(40, 500)] }); // released: no warning before the second
      t.fake.open()[0]!.finish(0);
      await until(() => t.fake.open().length === 1, 'second run');
      t.fake.open()[0]!.finish(0);
      expect(await t.running).toBe(0);
      expect(t.notices().filter((m) => m.startsWith('residual'))).toHaveLength(1);
    }
  });
});

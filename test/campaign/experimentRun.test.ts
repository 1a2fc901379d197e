// One experiment through its attempts, against an in-memory dispatcher whose
// runs end when the test says: the retry policy, skip / restart / quit, the
// result and require_result, and what reaches the manifest and the views.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentRun } from '../../source/campaign/experimentRun.js';
import { GpuSampleHub } from '../../source/campaign/gpuMeter.js';
import type { GpuReading } from '../../source/domain/gpu.js';
import { createManifest } from '../../source/campaign/manifest.js';
import { ManifestWriter } from '../../source/campaign/manifestWriter.js';
import { ResultFinder } from '../../source/campaign/results.js';
import { ServiceHealth } from '../../source/campaign/serviceHealth.js';
import type { RunSettings } from '../../source/config/types.js';
import type { Action } from '../../source/state/types.js';
import { tempDir } from '../config/helpers.js';
import { engineSettings } from './engineSettings.js';
import { fakeDispatcher, until } from './fakeDispatcher.js';
import { plan } from './planFixture.js';
import { slotWords } from '../../source/campaign/slotWords.js';

async function oneExperiment(overrides: Partial<RunSettings> = {}, restartsServices = false, extra: { gpus?: GpuSampleHub; env?: NodeJS.ProcessEnv } = {}) {
  const settings = { ...engineSettings(await tempDir()), ...overrides };
  const thePlan = plan(['pytorch_a'], 1);
  const fake = fakeDispatcher({ capabilities: { restartsServices } });
  const campaign = new AbortController();
  const actions: Action[] = [];
  const notices: string[] = [];
  const dispatch = (action: Action) => {
    actions.push(action);
    if (action.type === 'notice') notices.push(action.message);
  };
  const now = Date.now;
  const manifest = new ManifestWriter(createManifest(thePlan, { campaignFileHash: 'x', now: new Date(0) }), {
    write: async () => {},
    onError: () => {},
    now,
  });
  const health = new ServiceHealth({
    dispatcher: fake.dispatcher,
    healthCheck: settings.healthCheck,
    services: thePlan.services,
    signal: campaign.signal,
    notice: (_level, message) => notices.push(message),
    restarting: (service, why) => actions.push({ type: 'service/restarting', at: now(), service, why }),
  });
  const run = new ExperimentRun(thePlan.experiments[0]!, {
    plan: thePlan,
    settings,
    dispatcher: fake.dispatcher,
    where: 'local',
    env: extra.env ?? {},
    caller: { uid: 1000, gid: 1000 },
    signal: campaign.signal,
    dispatch,
    now,
    manifest,
    results: new ResultFinder(settings.resultsDir),
    health,
    gpus: extra.gpus ?? null,
    slot: slotWords(fake.dispatcher, 0, null),
  });
  const entry = () => manifest.current.experiments[0]!;
  const finished = () => actions.find((a) => a.type === 'experiment/finished');
  const attempts = () => actions.flatMap((a) => (a.type === 'experiment/started' ? [a.attempt] : []));
  return { run, fake, campaign, actions, notices, settings, entry, finished, attempts };
}

const opened = (t: Awaited<ReturnType<typeof oneExperiment>>, n: number) => until(() => t.fake.runs.length === n && t.fake.open().length === 1, `attempt ${n}`);

describe('ExperimentRun', () => {
  it('exit 0 without require_result: completed, in the manifest and the views; its config file is removed', async () => {
    const t = await oneExperiment();
    const ending = t.run.run();
    await opened(t, 1);
    expect(t.entry().status).toBe('running');
    const configFile = path.join(t.settings.configsDir, '_campaign_0001.yaml');
    expect(fs.existsSync(configFile)).toBe(true);
    t.fake.open()[0]!.finish(0);
    expect(await ending).toBe('completed');
    expect(t.entry()).toMatchObject({ status: 'completed', error: null, result_path: null });
    expect(t.finished()).toMatchObject({ status: 'completed', exitCode: 0, reason: 'no result file found', metrics: null });
    expect(fs.existsSync(configFile)).toBe(false);
  });

  it('exit 0 with require_result and no result file: failed, and the service restarted for the next one', async () => {
    const t = await oneExperiment({ requireResult: true }, true);
    const ending = t.run.run();
    await opened(t, 1);
    t.fake.open()[0]!.finish(0);
    expect(await ending).toBe('failed');
    expect(t.entry()).toMatchObject({ status: 'failed', error: 'no result file found' });
    expect(t.fake.calls).toContain('restart pytorch');
  });

  it('a killed run (137) is tried again after the back-off, within max_retries, and the retry is recorded', async () => {
    const t = await oneExperiment({ maxRetries: 1 });
    const ending = t.run.run();
    await opened(t, 1);
    t.fake.open()[0]!.finish(137);
    await opened(t, 2); // after the 2 s back-off
    expect(t.actions.find((a) => a.type === 'experiment/retrying')).toMatchObject({ nextAttempt: 2, reason: 'exit 137', delayMs: 2000 });
    expect(t.entry().retry_count).toBe(1);
    t.fake.open()[0]!.finish(137);
    expect(await ending).toBe('failed'); // the one retry is spent
    expect(t.attempts()).toEqual([1, 2]);
    expect(t.finished()).toMatchObject({ status: 'failed', exitCode: 137, reason: 'exit 137' });
  });

  it('a harness error (exit 1) is not tried again', async () => {
    const t = await oneExperiment({ maxRetries: 3 });
    const ending = t.run.run();
    await opened(t, 1);
    t.fake.open()[0]!.finish(1);
    expect(await ending).toBe('failed');
    expect(t.attempts()).toEqual([1]);
  });

  it("the user's restart of its service: the attempt runs again at once, without spending a retry", async () => {
    const t = await oneExperiment({ maxRetries: 0 });
    const ending = t.run.run();
    await opened(t, 1);
    t.run.serviceRestarting('vllm'); // another service: no effect
    t.run.serviceRestarting('pytorch');
    t.fake.open()[0]!.finish(137); // the restart ended it
    await opened(t, 2);
    t.fake.open()[0]!.finish(0);
    expect(await ending).toBe('completed');
    expect(t.actions.find((a) => a.type === 'experiment/retrying')).toMatchObject({ delayMs: 0 });
  });

  it('skip: the attempt is aborted and the experiment recorded skipped by the user', async () => {
    const t = await oneExperiment({ maxRetries: 3 });
    const ending = t.run.run();
    await opened(t, 1);
    t.run.interrupt('skip');
    expect(t.fake.runs[0]!.signal.aborted).toBe(true);
    expect(await ending).toBe('skipped');
    expect(t.entry()).toMatchObject({ status: 'skipped', error: 'skipped by user' });
    expect(t.attempts()).toEqual([1]);
  });

  it('the campaign stops: the attempt is aborted, the entry goes back to pending, no retry', async () => {
    const t = await oneExperiment({ maxRetries: 3 });
    const ending = t.run.run();
    await opened(t, 1);
    t.campaign.abort();
    expect(await ending).toBe('interrupted');
    expect(t.fake.runs[0]!.signal.aborted).toBe(true);
    expect(t.entry()).toMatchObject({ status: 'pending', completed_at: null, error: 'interrupted: runs again on --resume' });
    expect(t.finished()).toMatchObject({ exitCode: null, reason: 'interrupted: runs again on --resume' });
  });

  /** A result of experiment 0001 in the results dir, as the harness writes it. */
  const writeResult = (resultsDir: string, name: string) => {
    fs.mkdirSync(path.join(resultsDir, 'aggregated'), { recursive: true });
    const file = path.join(resultsDir, 'aggregated', name);
    fs.writeFileSync(file, JSON.stringify({ total_energy_j: 7, total_tokens: 70, effective_config: { _metadata: { experiment_id: '0001' } } }));
    return file;
  };
  const stoppedRun = (t: Awaited<ReturnType<typeof oneExperiment>>, during: 'before the stop' | 'after the stop', exitCode: number) => {
    t.fake.dispatcher.run = async (_request, options) => {
      if (during === 'before the stop') writeResult(t.settings.resultsDir, 'exp_before.json');
      await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (during === 'after the stop') writeResult(t.settings.resultsDir, 'exp_after.json');
      return { exitCode, signal: null, durationMs: 5, timedOut: false, cancelled: true, reason: 'cancelled' };
    };
  };

  it('a stop, but the harness wrote its complete result before it (or ended with exit 0): completed with it, not interrupted', async () => {
    const t = await oneExperiment({ requireResult: true });
    stoppedRun(t, 'before the stop', 143);
    const ending = t.run.run();
    await until(() => fs.existsSync(path.join(t.settings.resultsDir, 'aggregated', 'exp_before.json')), 'the result');
    t.campaign.abort();
    expect(await ending).toBe('completed');
    expect(t.entry()).toMatchObject({ status: 'completed', error: null, result_path: path.join(t.settings.resultsDir, 'aggregated', 'exp_before.json') });
    expect(t.finished()).toMatchObject({ status: 'completed', metrics: expect.objectContaining({ energyJ: 7 }) });

    const ok = await oneExperiment({ requireResult: true });
    stoppedRun(ok, 'after the stop', 0);
    const done = ok.run.run();
    await until(() => ok.entry().status === 'running', 'the start');
    ok.campaign.abort();
    expect(await done).toBe('completed');
  });

  it('a result written after the stop by a harness that did not end normally may be partial: interrupted, runs again', async () => {
    const t = await oneExperiment({ requireResult: true });
    stoppedRun(t, 'after the stop', 143);
    const ending = t.run.run();
    await until(() => t.entry().status === 'running', 'the start');
    await new Promise((resolve) => setTimeout(resolve, 50));
    t.campaign.abort();
    expect(await ending).toBe('interrupted');
    expect(t.entry()).toMatchObject({ status: 'pending', error: 'interrupted: runs again on --resume' });
  });

  it('a dispatcher that throws fails the attempt with its message; the run itself does not throw', async () => {
    const t = await oneExperiment({ maxRetries: 3 });
    t.fake.dispatcher.run = async () => {
      throw new Error('service pytorch cannot be restarted');
    };
    expect(await t.run.run()).toBe('failed');
    expect(t.finished()).toMatchObject({ status: 'failed', reason: 'service pytorch cannot be restarted' });
  });

  it('lines reach output.log and experiment/output; a skip between attempts has nothing to stop', async () => {
    const t = await oneExperiment();
    t.run.interrupt('skip'); // before any attempt: a no-op
    t.fake.dispatcher.run = async (_request, options) => {
      options.onLine('hello from the harness', 'stdout');
      return { exitCode: 0, signal: null, durationMs: 5, timedOut: false, cancelled: false, reason: null };
    };
    expect(await t.run.run()).toBe('completed');
    expect(t.actions.find((a) => a.type === 'experiment/output')).toMatchObject({ lines: ['hello from the harness'] });
    const logFile = path.join(t.settings.resultsDir, '0001', 'logs', 'output.log');
    await until(() => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('hello from the harness'), 'the log file');
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/^── attempt 1 · .* · fake\nhello from the harness\n$/);
  });

  it("measures the GPUs CUDA_VISIBLE_DEVICES names over the run: figures in the manifest and the finished action", async () => {
    const hub = new GpuSampleHub();
    const gpu = (index: number, powerW: number): GpuReading => ({
      index, uuid: `GPU-${index}`, name: 'NVIDIA H200', powerW, memoryUsedMiB: 4096, memoryTotalMiB: 143771, utilizationPct: 90, temperatureC: 55 + index, throttled: false,
    });
    const publish = () => hub.publish({ at: Date.now(), gpus: [gpu(0, 1000), gpu(1, 200)] });
    publish(); // the sample before the run: the window interpolates from it
    const t = await oneExperiment({}, false, { gpus: hub, env: { CUDA_VISIBLE_DEVICES: '1' } });
    const ending = t.run.run();
    await opened(t, 1);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 50));
      publish();
    }
    t.fake.open()[0]!.finish(0);
    await ending;
    const done = t.finished() as Extract<Action, { type: 'experiment/finished' }>;
    expect(done.gpu).toMatchObject({ gpuIndices: [1], gpuPeakPowerW: 200, gpuMaxTemperatureC: 56, gpuPeakMemoryMiB: 4096, gpuThrottled: false, samples: 4 });
    // a flat 200 W over the run: energy = 200 W × its duration (GPU 0's 1000 W is not its)
    expect(done.gpu!.gpuMeanPowerW).toBeCloseTo(200, 6);
    expect(t.entry().gpu).toMatchObject({ gpu_indices: [1], peak_power_w: 200, samples: 4 });
    expect(t.entry().gpu!.energy_j).toBeCloseTo(done.gpu!.gpuEnergyJ!, 9);
  });

  it('without telemetry the finished action and the manifest carry no GPU figures', async () => {
    const t = await oneExperiment();
    const ending = t.run.run();
    await opened(t, 1);
    t.fake.open()[0]!.finish(0);
    await ending;
    expect(t.finished()).toMatchObject({ gpu: null });
    expect(t.entry().gpu).toBeNull();
  });
});

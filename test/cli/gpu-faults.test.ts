// Host GPU telemetry that must not report what it did not measure, end to
// end: the built CLI with local dispatch and the stand-in nvidia-smi
// (fixtures/gpu/bin) as real processes, its faults set in its state file
// (fixtures/gpu/README.md): a loop that stops printing but stays alive, a
// loop that keeps dying, garbage lines, [N/A] power, a GPU that disappears.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, parseNdjson, readManifest, removeCampaignDirs, ROOT, runCli, startCli, type NdjsonEvent } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const STAND_IN_BIN = path.join(ROOT, 'fixtures/gpu/bin');
const local = ['--dispatch', 'local', '--lem-command', LEM];
/** PATH without any real nvidia-smi (a GPU machine has one in /usr/bin). */
const PATH_WITHOUT_SMI = (process.env.PATH ?? '').split(':').filter((dir) => dir && !fs.existsSync(path.join(dir, 'nvidia-smi'))).join(':');

const H200 = { name: 'NVIDIA H200', temperatureC: 41, memoryUsedMiB: 300 };

/** A state file for the stand-in (and a pid file), with a `write` to change it while the CLI runs. */
function gpuState(state: object) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-faults-'));
  const file = path.join(dir, 'state.json');
  fs.writeFileSync(file, JSON.stringify(state));
  return { file, pids: path.join(dir, 'pids'), write: (next: object) => fs.writeFileSync(file, JSON.stringify(next)) };
}

/** A campaign of `cycles` runs of one config whose harness runs `seconds`; telemetry every 100 ms. */
function campaign(tag: string, seconds: number, cycles = 1) {
  const c = makeCampaign('basic.yaml', tag, { configs: [`configs/run_${seconds}s.yaml`], 'execution.cycles': cycles, 'runner.gpu_telemetry_interval_ms': 100 });
  const base = fs.readFileSync(path.join(c.dir, 'configs/pytorch_slow.yaml'), 'utf8');
  fs.writeFileSync(
    path.join(c.dir, `configs/run_${seconds}s.yaml`),
    base.replace(/^config_name: .*$/m, `config_name: run_${seconds}s`).replace(/duration_seconds: \d+/, `duration_seconds: ${seconds}`),
  );
  return c;
}

const env = (gpu: { file: string; pids: string }, cuda: string) => ({
  PATH: `${STAND_IN_BIN}:${PATH_WITHOUT_SMI}`,
  LEM_FAKE_GPU_STATE: gpu.file,
  LEM_FAKE_GPU_PIDS: gpu.pids,
  CUDA_VISIBLE_DEVICES: cuda,
});
const ofType = (events: NdjsonEvent[], type: string) => events.filter((e) => e.type === type);
const notices = (events: NdjsonEvent[]) => ofType(events, 'notice').map((e) => String(e.message));
const metricsOf = (e: NdjsonEvent) => e.metrics as Record<string, unknown>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const leftRunning = (pids: string) => fs.readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number).filter(alive);

describe('GPU telemetry faults (stand-in nvidia-smi)', () => {
  it('a loop that stops printing but stays alive: noticed and restarted; the run is not measured from one old sample (null, with why)', async () => {
    const gpu = gpuState({ gpus: [{ ...H200, index: 0, powerW: 100 }] });
    const c = campaign('gpu-stall', 8);
    const cli = startCli([c.file, ...local, '--json'], { cwd: c.dir, env: env(gpu, '0') });
    await cli.waitFor((e) => e.type === 'experiment.started');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // readings inside the run first
    gpu.write({ gpus: [{ ...H200, index: 0, powerW: 100 }], fail: 'stall' });
    const r = await cli.done;
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(notices(events)).toContain('GPU sampler stopped (no reading for 3 s); restarting');
    expect(notices(events).filter((m) => m.startsWith('GPU sampler stopped'))).toHaveLength(1);
    const done = ofType(events, 'experiment.finished')[0]!;
    expect(done.status).toBe('completed');
    const why = metricsOf(done).gpuEnergyMissing as string;
    expect(metricsOf(done).gpuEnergyJ).toBeNull();
    expect(why).toMatch(/^GPU 0: no power reading for \d+(\.\d)? s \(more than 3 s\)$/);
    expect(readManifest(c).experiments[0]).toMatchObject({ gpu: { energy_j: null, energy_missing: why } });
    expect(leftRunning(gpu.pids)).toEqual([]);
  });

  it('a loop that keeps dying: one notice, not one per death', async () => {
    const gpu = gpuState({ gpus: [{ ...H200, index: 0 }], fail: 'exit-after-blocks:2' });
    const c = campaign('gpu-dying', 6);
    const r = await runCli([c.file, ...local, '--json'], { cwd: c.dir, env: env(gpu, '0') });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(fs.readFileSync(gpu.pids, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4); // it did die, again and again
    const said = notices(events).filter((m) => /GPU sampler|nvidia-smi keeps/.test(m));
    expect(said[0]).toBe('GPU sampler stopped (exit 1); restarting');
    // No more, or (on a slow machine, past 10 deaths) the one saying it gave up: never one per death.
    expect(said.slice(1).every((m) => m.startsWith('no GPU telemetry: nvidia-smi keeps stopping'))).toBe(true);
    expect(said.length).toBeLessThanOrEqual(2);
    expect(leftRunning(gpu.pids)).toEqual([]);
  });

  it('garbage lines are not readings: no ghost GPU 9, words where power belongs do not drop intervals (energy as measured), one notice', async () => {
    const since = Date.now();
    const gpu = gpuState({
      gpus: [
        { ...H200, index: 0, powerW: 100, powerRampWPerS: 50, since },
        { ...H200, index: 1, powerW: 300, since },
      ],
      ghostGpus: [{ ...H200, index: 9, powerW: 999 }],
      garbage: { '0': { 'power.draw': 'lots' } },
      garbageEvery: 3,
    });
    const c = campaign('gpu-garbage', 2, 2);
    const r = await runCli([c.file, ...local, '--json'], { cwd: c.dir, env: env(gpu, '0') });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    const indices = new Set(ofType(events, 'gpu.sample').flatMap((e) => (e.gpus as { index: number }[]).map((g) => g.index)));
    expect([...indices].sort()).toEqual([0, 1]);
    const ignored = notices(events).filter((m) => m.includes('not a reading') || m.includes('lines ignored'));
    expect(ignored.length).toBeGreaterThanOrEqual(1);
    expect(ignored.length).toBeLessThanOrEqual(3); // the first, then at 10 (and 100): never one per line
    for (const e of ofType(events, 'experiment.finished')) {
      const to = (Date.parse(e.at) - since) / 1000;
      const from = to - (e.durationMs as number) / 1000;
      const expected = 100 * (to - from) + 25 * (to * to - from * from); // ∫ 100 + 50 t dt, GPU 0 only
      expect(metricsOf(e).gpuEnergyJ as number).toBeGreaterThan(expected * 0.9);
      expect(metricsOf(e).gpuEnergyJ as number).toBeLessThan(expected * 1.1);
    }
  });

  it('[N/A] power: one notice, and each experiment says why its host energy is n/a (NDJSON, plain)', async () => {
    const gpu = gpuState({ gpus: [{ ...H200, index: 0 }], notAvailable: { '0': ['power.draw'] } });
    const c = campaign('gpu-na', 1, 2);
    const r = await runCli([c.file, ...local, '--json'], { cwd: c.dir, env: env(gpu, '0') });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(notices(events).filter((m) => m.includes('power'))).toEqual([
      'GPU 0: nvidia-smi reports no power draw ([N/A] or [Not Supported]): no host energy for the experiments on it',
    ]);
    for (const e of ofType(events, 'experiment.finished')) {
      expect(metricsOf(e)).toMatchObject({ gpuEnergyJ: null, gpuEnergyMissing: 'GPU 0 reports no power draw' });
    }
    const plainCampaign = campaign('gpu-na-plain', 1);
    const plain = await runCli([plainCampaign.file, ...local, '--no-tui'], { cwd: plainCampaign.dir, env: env(gpu, '0') });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/run_1s \(pytorch\) completed .* · host GPU n\/a \(GPU 0 reports no power draw\)/);
  });

  it('a GPU that disappears mid-run: a notice, and the experiment on it has no host energy, with why', async () => {
    const gpu = gpuState({ gpus: [{ ...H200, index: 0 }, { ...H200, index: 1, powerW: 200 }] });
    const c = campaign('gpu-gone', 6);
    const cli = startCli([c.file, ...local, '--json'], { cwd: c.dir, env: env(gpu, '1') });
    await cli.waitFor((e) => e.type === 'experiment.started');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    gpu.write({ gpus: [{ ...H200, index: 0 }] });
    const r = await cli.done;
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(notices(events)).toContainEqual(expect.stringMatching(/^GPU 1 no longer answers nvidia-smi \(no reading for \d+ s\): no host energy for the experiments on it$/));
    const done = ofType(events, 'experiment.finished')[0]!;
    expect(metricsOf(done).gpuEnergyJ).toBeNull();
    expect(metricsOf(done).gpuEnergyMissing).toMatch(/^GPU 1: no power reading for \d+(\.\d)? s \(more than 3 s\)$/);
  });
});

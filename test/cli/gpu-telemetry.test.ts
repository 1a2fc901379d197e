// GPU telemetry end to end: the built CLI with local dispatch, the stand-in
// harness, and the stand-in nvidia-smi (fixtures/gpu/bin) first on PATH as a
// real long-running process. Its GPU 0 ramps its power linearly, so each
// experiment's host energy has a known answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, parseNdjson, readManifest, removeCampaignDirs, ROOT, runCli, type NdjsonEvent } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const STAND_IN_BIN = path.join(ROOT, 'fixtures/gpu/bin');
const local = ['--dispatch', 'local', '--lem-command', LEM];
/** PATH without any real nvidia-smi (a GPU machine has one in /usr/bin). */
const PATH_WITHOUT_SMI = (process.env.PATH ?? '').split(':').filter((dir) => dir && !fs.existsSync(path.join(dir, 'nvidia-smi'))).join(':');

function gpuState(): { file: string; pids: string; since: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-'));
  const since = Date.now();
  const file = path.join(dir, 'state.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      gpus: [
        { index: 0, name: 'NVIDIA H200', powerW: 100, powerRampWPerS: 50, since, temperatureC: 41, memoryUsedMiB: 300 },
        { index: 1, name: 'NVIDIA H200', powerW: 300, since, temperatureC: 52, memoryUsedMiB: 300 },
      ],
    }),
  );
  return { file, pids: path.join(dir, 'pids'), since };
}

const ofType = (events: NdjsonEvent[], type: string) => events.filter((e) => e.type === type);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('GPU telemetry (stand-in nvidia-smi)', () => {
  it("measures each experiment's energy on the GPUs CUDA_VISIBLE_DEVICES names: NDJSON, manifest; no sampler left", async () => {
    const gpu = gpuState();
    const c = makeCampaign('basic.yaml', 'gpu', { configs: ['configs/pytorch_slow.yaml'], 'runner.gpu_telemetry_interval_ms': 100 });
    const r = await runCli([c.file, ...local, '--json'], {
      cwd: c.dir,
      env: { PATH: `${STAND_IN_BIN}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: gpu.file, LEM_FAKE_GPU_PIDS: gpu.pids, CUDA_VISIBLE_DEVICES: '0' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);

    const samples = ofType(events, 'gpu.sample');
    expect(samples.length).toBeGreaterThan(0);
    expect((samples[0]!.gpus as { index: number; name: string }[]).map((g) => [g.index, g.name])).toEqual([[0, 'NVIDIA H200'], [1, 'NVIDIA H200']]);
    const sampleTimes = samples.map((e) => Date.parse(e.at));
    for (let i = 1; i < sampleTimes.length; i++) expect(sampleTimes[i]! - sampleTimes[i - 1]!).toBeGreaterThanOrEqual(1000); // at most 1/s

    const finished = ofType(events, 'experiment.finished');
    expect(finished).toHaveLength(2);
    for (const e of finished) {
      const m = e.metrics as Record<string, unknown>;
      // The run is the durationMs before it finished (reading its result takes a few ms more).
      const to = (Date.parse(e.at) - gpu.since) / 1000;
      const from = to - (e.durationMs as number) / 1000;
      const expected = 100 * (to - from) + 25 * (to * to - from * from); // ∫ 100 + 50 t dt, GPU 0 only
      expect(m.gpuIndices).toEqual([0]);
      expect(m.gpuEnergyJ as number).toBeGreaterThan(expected * 0.9);
      expect(m.gpuEnergyJ as number).toBeLessThan(expected * 1.1);
      expect(m).toMatchObject({ gpuMaxTemperatureC: 41, gpuPeakMemoryMiB: 300, gpuThrottled: false });
      const entry = readManifest(c).experiments.find((x) => x.exp_id === e.expId) as unknown as { gpu: Record<string, unknown> };
      expect(entry.gpu).toMatchObject({ gpu_indices: [0], energy_j: m.gpuEnergyJ });
    }

    const pids = fs.readFileSync(gpu.pids, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(pids.length).toBeGreaterThanOrEqual(2); // the probe and the loop
    expect(pids.filter(alive)).toEqual([]);
  });

  it('plain output: each completed line says the host energy', async () => {
    const gpu = gpuState();
    const c = makeCampaign('basic.yaml', 'gpu-plain', { configs: ['configs/pytorch_slow.yaml'], 'execution.cycles': 1, 'runner.gpu_telemetry_interval_ms': 100 });
    const r = await runCli([c.file, ...local, '--no-tui'], { cwd: c.dir, env: { PATH: `${STAND_IN_BIN}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: gpu.file } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pytorch_slow \(pytorch\) completed .* · host GPU [\d.,]+ k?J \([\d.,]+ W mean\)/);
    expect(r.stdout).not.toMatch(/^gpu|sample/im);
  });

  it('no nvidia-smi: one notice, and the campaign runs as without telemetry', async () => {
    const c = makeCampaign('basic.yaml', 'gpu-none', { configs: ['configs/pytorch_quick.yaml'], 'execution.cycles': 1 });
    const r = await runCli([c.file, ...local, '--json'], { cwd: c.dir, env: { PATH: PATH_WITHOUT_SMI } });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(ofType(events, 'notice').filter((e) => String(e.message).includes('GPU'))).toMatchObject([{ level: 'info', message: 'no GPU telemetry: nvidia-smi not found' }]);
    expect(ofType(events, 'gpu.sample')).toEqual([]);
    const done = ofType(events, 'experiment.finished')[0]!;
    expect(done).toMatchObject({ status: 'completed', metrics: { gpuEnergyJ: null, gpuIndices: null } });
    expect(readManifest(c).experiments[0]).toMatchObject({ gpu: null });
  });

  it('--gpu-telemetry off: nvidia-smi is never started', async () => {
    const gpu = gpuState();
    const c = makeCampaign('basic.yaml', 'gpu-off', { configs: ['configs/pytorch_quick.yaml'], 'execution.cycles': 1 });
    const r = await runCli([c.file, ...local, '--json', '--gpu-telemetry', 'off'], {
      cwd: c.dir,
      env: { PATH: `${STAND_IN_BIN}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: gpu.file, LEM_FAKE_GPU_PIDS: gpu.pids },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fs.existsSync(gpu.pids)).toBe(false);
    expect(parseNdjson(r.stdout).filter((e) => e.type.startsWith('gpu.'))).toEqual([]);
  });
});

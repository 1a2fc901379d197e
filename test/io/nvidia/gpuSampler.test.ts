// The GPU sampler against the stand-in nvidia-smi (fixtures/gpu/bin), as
// real processes: readings from its state file, fields the "driver" does not
// know, no nvidia-smi, a failed driver, a loop that dies, and stopping
// without leaving anything running. Waits poll for what the test needs
// (never a fixed sleep that a busy machine could outrun).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGpuSampler, type GpuSampler, type GpuSamplerOptions } from '../../../source/io/nvidia/gpuSampler.js';
import type { GpuSample } from '../../../source/domain/gpu.js';
import { allowRealProcessTime } from '../../helpers/realProcesses.js';

allowRealProcessTime();

const BIN = path.resolve('fixtures/gpu/bin');
const dirs: string[] = [];
const samplers: GpuSampler[] = [];
afterEach(async () => {
  await Promise.all(samplers.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Polls until `done()` (the deadline only bounds a failure). */
async function until(done: () => boolean, deadlineMs = 30_000): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  return done();
}

/** Gone, or a zombie nobody has reaped yet. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const H200 = { name: 'NVIDIA H200', memoryTotalMiB: 143771, temperatureC: 35, throttled: false };

/** A state file for the stand-in, a pid file it writes to, and a sampler on it recording everything. */
function setup(state: object, extra: Partial<GpuSamplerOptions> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-sampler-'));
  dirs.push(dir);
  const stateFile = path.join(dir, 'state.json');
  const pidFile = path.join(dir, 'pids');
  writeFileSync(stateFile, JSON.stringify(state));
  const seen = { samples: [] as GpuSample[], statuses: [] as [string, string | null][], notices: [] as [string, string][] };
  const sampler = startGpuSampler({
    intervalMs: 50,
    restartDelayMs: 20,
    env: { PATH: `${BIN}:${process.env.PATH ?? ''}`, LEM_FAKE_GPU_STATE: stateFile, LEM_FAKE_GPU_PIDS: pidFile },
    onSample: (s) => seen.samples.push(s),
    onStatus: (status, reason) => seen.statuses.push([status, reason]),
    onNotice: (level, message) => seen.notices.push([level, message]),
    ...extra,
  });
  samplers.push(sampler);
  const pids = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : []);
  const write = (next: object) => writeFileSync(stateFile, JSON.stringify(next));
  return { sampler, seen, pids, write };
}

describe('startGpuSampler', () => {
  it('sends one sample per block with the state file readings; N/A and Not Supported are null', async () => {
    const { seen, write } = setup(
      {
        gpus: [
          { ...H200, index: 0, uuid: 'GPU-a', powerW: 100, memoryUsedMiB: 512, utilizationPct: 7 },
          { ...H200, index: 1, uuid: 'GPU-b', powerW: 200, memoryUsedMiB: 1024, utilizationPct: 9, throttled: true },
        ],
        notAvailable: { '1': ['power.draw'] },
        notSupported: { '0': ['utilization.gpu'] },
      },
      { now: () => 1234 },
    );
    expect(await until(() => seen.samples.length >= 2)).toBe(true);
    expect(seen.statuses).toEqual([['running', null]]);
    expect(seen.notices).toEqual([]);
    const first = seen.samples[0]!;
    expect(first.at).toBe(1234);
    expect(first.gpus).toEqual([
      { index: 0, uuid: 'GPU-a', name: 'NVIDIA H200', powerW: 100, memoryUsedMiB: 512, memoryTotalMiB: 143771, utilizationPct: null, temperatureC: 35, throttled: false },
      { index: 1, uuid: 'GPU-b', name: 'NVIDIA H200', powerW: null, memoryUsedMiB: 1024, memoryTotalMiB: 143771, utilizationPct: 9, temperatureC: 35, throttled: true },
    ]);

    // The stand-in reads its state again for every block: new readings arrive while it runs.
    write({ gpus: [{ ...H200, index: 0, uuid: 'GPU-a', powerW: 300 }, { ...H200, index: 1, uuid: 'GPU-b', powerW: 400 }] });
    expect(await until(() => seen.samples.at(-1)?.gpus[1]?.powerW === 400)).toBe(true);
    expect(seen.samples.every((s) => s.gpus.length === 2)).toBe(true);
  });

  it('power ramps as the state says (an integral with a known answer)', async () => {
    const since = Date.now();
    const { seen } = setup({ gpus: [{ ...H200, powerW: 100, powerRampWPerS: 1000, since }] }, { now: () => Date.now() });
    expect(await until(() => seen.samples.length >= 3)).toBe(true);
    for (const s of seen.samples) {
      // Read by the stand-in a moment before it was stamped here, so at most the ramp over that moment less.
      const expected = 100 + (1000 * (s.at - since)) / 1000;
      expect(s.gpus[0]!.powerW!).toBeLessThanOrEqual(expected + 0.01);
      expect(s.gpus[0]!.powerW!).toBeGreaterThan(expected - 1000);
    }
  });

  it('drops a field the driver does not know, with one notice, and samples the rest', async () => {
    const { seen } = setup({
      gpus: [{ ...H200, powerW: 90 }],
      unsupportedFields: ['clocks_throttle_reasons.hw_thermal_slowdown', 'clocks_event_reasons.hw_thermal_slowdown'],
    });
    expect(await until(() => seen.samples.length >= 2)).toBe(true);
    expect(seen.notices).toEqual([['info', 'nvidia-smi does not know clocks_throttle_reasons.hw_thermal_slowdown: not shown']]);
    expect(seen.samples[0]!.gpus[0]).toMatchObject({ index: 0, powerW: 90, throttled: null });
  });

  it('asks a newer driver for clocks_event_reasons when it no longer knows clocks_throttle_reasons', async () => {
    const { seen } = setup({
      gpus: [{ ...H200, throttled: true }],
      unsupportedFields: ['clocks_throttle_reasons.hw_thermal_slowdown', 'clocks_throttle_reasons.sw_thermal_slowdown'],
    });
    expect(await until(() => seen.samples.length >= 1)).toBe(true);
    expect(seen.notices).toEqual([]);
    expect(seen.samples[0]!.gpus[0]!.throttled).toBe(true);
  });

  it('a driver that does not know index or power.draw: unavailable', async () => {
    const { seen } = setup({ gpus: [H200], unsupportedFields: ['power.draw'] });
    expect(await until(() => seen.statuses.length > 0)).toBe(true);
    expect(seen.statuses).toEqual([['unavailable', 'nvidia-smi does not know power.draw']]);
    expect(seen.samples).toEqual([]);
  });

  it('no nvidia-smi on PATH: unavailable, "nvidia-smi not found"', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-empty-'));
    dirs.push(empty);
    const { seen } = setup({}, { env: { PATH: empty } });
    expect(await until(() => seen.statuses.length > 0)).toBe(true);
    expect(seen.statuses).toEqual([['unavailable', 'nvidia-smi not found']]);
  });

  it('a driver nvidia-smi cannot talk to: unavailable with its first line', async () => {
    const { seen } = setup({ gpus: [H200], fail: 'driver' });
    expect(await until(() => seen.statuses.length > 0)).toBe(true);
    expect(seen.statuses).toEqual([
      ['unavailable', "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."],
    ]);
  });

  it('restarts a loop that exits, and the samples keep coming: one notice, not one per death', async () => {
    const { seen, pids } = setup({ gpus: [H200], fail: 'exit-after-blocks:2' });
    expect(await until(() => pids().length >= 4 && seen.samples.length >= 5)).toBe(true);
    expect(seen.notices).toEqual([['warn', 'GPU sampler stopped (exit 1); restarting']]);
    expect(seen.statuses).toEqual([['running', null]]);
  });

  it('a loop that keeps dying gives up after maxStops in the run, however far apart the deaths: one notice, then unavailable', async () => {
    const { seen, pids } = setup({ gpus: [H200], fail: 'exit-after-blocks:3' }, { restartDelayMs: 1, maxStops: 4 });
    expect(await until(() => seen.statuses.length >= 2)).toBe(true);
    expect(seen.statuses).toEqual([['running', null], ['unavailable', 'nvidia-smi keeps stopping (exit 1)']]);
    expect(seen.notices).toEqual([['warn', 'GPU sampler stopped (exit 1); restarting']]);
    expect(pids()).toHaveLength(1 + 5); // the probe, the first loop and its 4 restarts: no more
  });

  it('a loop that stays alive but stops printing: stopped and restarted after stallMs, then unavailable; nothing left running', async () => {
    const { seen, pids, write } = setup({ gpus: [H200] }, { stallMs: 400, maxStops: 2 });
    expect(await until(() => seen.samples.length >= 2)).toBe(true);
    write({ gpus: [H200], fail: 'stall' });
    expect(await until(() => seen.statuses.length >= 2)).toBe(true);
    expect(seen.notices).toEqual([['warn', 'GPU sampler stopped (no reading for 0.4 s); restarting']]);
    expect(seen.statuses[1]).toEqual(['unavailable', 'nvidia-smi keeps stopping (no reading for 0.4 s)']);
    expect(pids()).toHaveLength(1 + 3);
    expect(await until(() => pids().every(isGone), 5000)).toBe(true);
  });

  it('a stalled loop that prints again after a restart: one notice when it stops, one when it has recovered', async () => {
    const { seen, write } = setup({ gpus: [H200] }, { stallMs: 300, recoveredAfterMs: 300 });
    expect(await until(() => seen.samples.length >= 2)).toBe(true);
    write({ gpus: [H200], fail: 'stall' });
    expect(await until(() => seen.notices.length >= 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 700)); // a stall or two more, not told
    write({ gpus: [H200] });
    expect(await until(() => seen.notices.length >= 2)).toBe(true);
    expect(seen.notices[0]).toEqual(['warn', 'GPU sampler stopped (no reading for 0.3 s); restarting']);
    expect(seen.notices[1]![1]).toMatch(/^GPU sampler recovered \(\d+ stops? so far; it gives up after 10\)$/);
    expect(seen.notices).toHaveLength(2);
    expect(seen.statuses).toEqual([['running', null]]);
  });

  it('lines that are not readings of the probed GPUs are ignored and counted: no ghost GPU, no null power, one notice', async () => {
    const { seen } = setup({
      gpus: [{ ...H200, index: 0, powerW: 100 }, { ...H200, index: 1, powerW: 200 }],
      ghostGpus: [{ ...H200, index: 9, powerW: 999 }],
      garbage: { '1': { 'power.draw': 'lots' } },
      garbageEvery: 2,
    });
    expect(await until(() => seen.samples.length >= 12)).toBe(true);
    const gpusSeen = new Set(seen.samples.flatMap((s) => s.gpus.map((g) => g.index)));
    expect([...gpusSeen].sort()).toEqual([0, 1]);
    expect(seen.samples.flatMap((s) => s.gpus).every((g) => g.powerW !== null)).toBe(true);
    expect(seen.notices[0]).toEqual(['warn', expect.stringMatching(/^nvidia-smi printed a line that is not a reading of GPU 0, 1, ignored: "9, GPU-\S+, NVIDIA H200, 999\.00, .*…" \(more are counted\)$/)]);
    expect(await until(() => seen.notices.length >= 2)).toBe(true);
    // Told when the count first reaches 10 (checked as each block completes, so a line or two past it).
    expect(seen.notices[1]).toEqual(['warn', expect.stringMatching(/^nvidia-smi: 1\d lines ignored so far \(not readings of GPU 0, 1\)$/)]);
    expect(seen.notices).toHaveLength(2);
  });

  it('a GPU that stops answering: the blocks shrink to the GPUs that do (cut where the index does not increase)', async () => {
    const { seen, write } = setup({ gpus: [{ ...H200, index: 0 }, { ...H200, index: 1 }] });
    expect(await until(() => seen.samples.length >= 1)).toBe(true);
    write({ gpus: [{ ...H200, index: 0, powerW: 60 }] });
    expect(await until(() => seen.samples.filter((s) => s.gpus.length === 1 && s.gpus[0]!.powerW === 60).length >= 2)).toBe(true);
    expect(seen.samples.every((s) => s.gpus.length >= 1 && s.gpus.length <= 2)).toBe(true);
  });

  it('a driver that fails while sampling: restarted, then unavailable with what nvidia-smi said', async () => {
    const { seen, write } = setup({ gpus: [H200] }, { restartDelayMs: 1 });
    expect(await until(() => seen.samples.length >= 1)).toBe(true);
    write({ gpus: [H200], fail: 'driver' });
    expect(await until(() => seen.statuses.length >= 2)).toBe(true);
    expect(seen.statuses[1]).toEqual([
      'unavailable',
      "nvidia-smi keeps stopping (exit 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.)",
    ]);
    expect(seen.notices[0]).toEqual(['warn', 'GPU sampler stopped (exit 9); restarting']);
  });

  it('stop ends the loop: no nvidia-smi left, nothing after', async () => {
    const { sampler, seen, pids } = setup({ gpus: [H200] });
    expect(await until(() => seen.samples.length >= 1)).toBe(true);
    await sampler.stop();
    expect(pids().length).toBe(2); // the probe, the loop
    expect(pids().every(isGone)).toBe(true);
    const count = seen.samples.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.samples.length).toBe(count);
  });

  it('stop while the probe is still asking: nothing left running, no status', async () => {
    const { sampler, seen, pids } = setup({ gpus: [H200], answerDelayMs: 60_000 });
    expect(await until(() => pids().length === 1)).toBe(true);
    await sampler.stop();
    expect(pids().every(isGone)).toBe(true);
    expect(seen.statuses).toEqual([]);
    expect(seen.samples).toEqual([]);
  });
});

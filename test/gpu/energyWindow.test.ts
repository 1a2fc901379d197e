import { describe, expect, it } from 'vitest';
import type { GpuReading, GpuSample } from '../../source/domain/gpu.js';
import { EnergyWindow } from '../../source/gpu/energyWindow.js';

function reading(index: number, over: Partial<GpuReading> = {}): GpuReading {
  return { index, uuid: `GPU-${index}`, name: 'NVIDIA H200', powerW: 100, memoryUsedMiB: 1000, memoryTotalMiB: 143771, utilizationPct: 50, temperatureC: 40, throttled: false, ...over };
}

/** Power ramps linearly: GPU 0 at 100 + 20·t W, GPU 1 at a flat 50 W (t in s). */
function rampSamples(fromMs: number, toMs: number, everyMs: number): GpuSample[] {
  const out: GpuSample[] = [];
  for (let at = fromMs; at <= toMs; at += everyMs) {
    out.push({ at, gpus: [reading(0, { powerW: 100 + (20 * at) / 1000 }), reading(1, { powerW: 50 })] });
  }
  return out;
}

describe('EnergyWindow', () => {
  it('integrates a linear ramp exactly when samples cover the window', () => {
    const window = new EnergyWindow([0], 0);
    for (const s of rampSamples(0, 10_000, 500)) window.add(s);
    // ∫0..10 (100 + 20t) dt = 1000 + 1000 = 2000 J
    const figures = window.close(10_000)!;
    expect(figures.gpuEnergyJ).toBeCloseTo(2000, 6);
    expect(figures.gpuMeanPowerW).toBeCloseTo(200, 6);
    expect(figures.gpuPeakPowerW).toBeCloseTo(300, 6);
  });

  it('sums the GPUs it uses and ignores the others', () => {
    const both = new EnergyWindow([0, 1], 0);
    const one = new EnergyWindow([1], 0);
    for (const s of rampSamples(0, 10_000, 500)) {
      both.add(s);
      one.add(s);
    }
    expect(one.close(10_000)!.gpuEnergyJ).toBeCloseTo(500, 6);
    expect(both.close(10_000)!.gpuEnergyJ).toBeCloseTo(2500, 6);
  });

  it('interpolates the start from the sample before the window, holds the last value to the end', () => {
    const samples = rampSamples(0, 20_000, 500);
    const window = new EnergyWindow([0], 2_250, samples.find((s) => s.at === 2_000)!);
    for (const s of samples.filter((s) => s.at > 2_000 && s.at <= 7_500)) window.add(s);
    // exact ∫2.25..7.5 = 100·5.25 + 10·(7.5² − 2.25²) = 525 + 511.875; hold 7.5..7.7 at 250 W = 50
    expect(window.close(7_700)!.gpuEnergyJ).toBeCloseTo(525 + 511.875 + 50, 6);
  });

  it('with no sample before the window, the first one is held back to its start', () => {
    const window = new EnergyWindow([0], 0);
    window.add({ at: 400, gpus: [reading(0, { powerW: 200 })] });
    window.add({ at: 1000, gpus: [reading(0, { powerW: 200 })] });
    expect(window.close(1000)!.gpuEnergyJ).toBeCloseTo(200, 9);
  });

  it('a reading without power is not 0 W: a short stretch is bridged from the readings around it', () => {
    const window = new EnergyWindow([0], 0);
    window.add({ at: 1000, gpus: [reading(0, { powerW: 100 })] });
    window.add({ at: 2000, gpus: [reading(0, { powerW: null })] });
    window.add({ at: 3000, gpus: [reading(0, { powerW: 100 })] });
    const figures = window.close(3000)!;
    // 0..1 s: the first reading held back (100 J); 1..3 s: bridged over the null reading (200 J), not dropped
    expect(figures.gpuEnergyJ).toBeCloseTo(300, 9);
    expect(figures.gpuEnergyMissing).toBeNull();
    expect(figures.samples).toBe(3);
  });

  it('a gap longer than maxGapMs inside the window: no energy, and why (a sampler that went silent)', () => {
    const window = new EnergyWindow([0], 0, null, 3000);
    for (const s of rampSamples(500, 4000, 500)) window.add(s);
    for (const s of rampSamples(9000, 12_000, 500)) window.add(s);
    const f = window.close(12_000)!;
    expect(f).toMatchObject({ gpuEnergyJ: null, gpuMeanPowerW: null, gpuEnergyMissing: 'GPU 0: no power reading for 5 s (more than 3 s)' });
    expect(f.samples).toBeGreaterThan(0);
  });

  it('one sample, then silence to the end: not extrapolated over the run', () => {
    const window = new EnergyWindow([0], 0, null, 3000);
    window.add({ at: 500, gpus: [reading(0, { powerW: 200 })] });
    expect(window.close(20_000)).toMatchObject({ gpuEnergyJ: null, gpuEnergyMissing: 'GPU 0: no power reading for 20 s (more than 3 s)' });
  });

  it('a stale reading before the window bridging a silent sampler: no energy', () => {
    const window = new EnergyWindow([0], 10_000, { at: 1000, gpus: [reading(0)] }, 3000);
    window.add({ at: 10_500, gpus: [reading(0)] });
    expect(window.close(11_000)).toMatchObject({ gpuEnergyJ: null, gpuEnergyMissing: 'GPU 0: no power reading for 9.5 s (more than 3 s)' });
  });

  it('a GPU missing from the samples for longer than maxGapMs: no energy, even though the other GPU was read', () => {
    const window = new EnergyWindow([0, 1], 0, null, 3000);
    for (const s of rampSamples(0, 10_000, 500)) window.add(s.at > 2000 && s.at < 8000 ? { ...s, gpus: s.gpus.filter((g) => g.index === 0) } : s);
    expect(window.close(10_000)).toMatchObject({ gpuEnergyJ: null, gpuEnergyMissing: 'GPU 1: no power reading for 6 s (more than 3 s)' });
  });

  it('one of two GPUs never reports power: null, not the other GPU alone', () => {
    const window = new EnergyWindow([0, 1], 0);
    for (const s of rampSamples(0, 2000, 500)) window.add({ ...s, gpus: [s.gpus[0]!, reading(1, { powerW: null })] });
    expect(window.close(2000)).toMatchObject({ gpuEnergyJ: null, gpuEnergyMissing: 'GPU 1 reports no power draw' });
  });

  it('keeps peaks of memory and temperature, and whether it throttled', () => {
    const window = new EnergyWindow([0], 0);
    window.add({ at: 500, gpus: [reading(0, { memoryUsedMiB: 2000, temperatureC: 60 })] });
    window.add({ at: 1000, gpus: [reading(0, { memoryUsedMiB: 9000, temperatureC: 71, throttled: true })] });
    window.add({ at: 1500, gpus: [reading(0, { memoryUsedMiB: 100, temperatureC: 50 })] });
    const f = window.close(1500)!;
    expect([f.gpuPeakMemoryMiB, f.gpuMaxTemperatureC, f.gpuThrottled]).toEqual([9000, 71, true]);
  });

  it('throttled and temperature stay null when the driver never reports them', () => {
    const window = new EnergyWindow([0], 0);
    window.add({ at: 500, gpus: [reading(0, { temperatureC: null, throttled: null })] });
    const f = window.close(500)!;
    expect([f.gpuMaxTemperatureC, f.gpuThrottled]).toEqual([null, null]);
  });

  it('power never reported: energy is null, not 0', () => {
    const window = new EnergyWindow([0], 0);
    window.add({ at: 500, gpus: [reading(0, { powerW: null })] });
    window.add({ at: 1000, gpus: [reading(0, { powerW: null })] });
    expect(window.close(1000)).toMatchObject({ gpuEnergyJ: null, gpuMeanPowerW: null, gpuPeakPowerW: null, samples: 2, gpuEnergyMissing: 'GPU 0 reports no power draw' });
  });

  it('no sample inside the window: the fresh reading before it is held; nothing seen at all: no figures', () => {
    const window = new EnergyWindow([0], 5000, { at: 4000, gpus: [reading(0)] });
    window.add({ at: 4500, gpus: [reading(0)] });
    expect(window.close(6000)).toMatchObject({ gpuEnergyJ: 100, samples: 0, gpuEnergyMissing: null });
    expect(new EnergyWindow([0], 5000).close(6000)).toBeNull();
  });
});

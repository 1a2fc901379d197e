// One experiment's GPU figures, folded sample by sample (constant memory, so
// an hours-long experiment costs nothing more). Energy is the trapezoid
// integral of power over [from, to], summed over the experiment's GPUs; the
// stretch before the first sample inside the window is interpolated from the
// sample before it (or, with none, as when the first experiment starts before
// nvidia-smi's first answer, holds the first sample's value), and the
// stretch after the last one holds its value.
import type { GpuFigures, GpuSample } from '../domain/gpu.js';

interface Point {
  at: number;
  /** Power per GPU index; null where not reported. */
  power: Map<number, number | null>;
}

export class EnergyWindow {
  private previous: Point | null = null;
  private energyJ = 0;
  private integrated = false;
  private peakPowerW: number | null = null;
  private peakMemoryMiB: number | null = null;
  private maxTemperatureC: number | null = null;
  private throttled: boolean | null = null;
  private samples = 0;

  /** `before`: the latest sample taken before `from`, if any. */
  constructor(
    private readonly gpuIndices: readonly number[],
    private readonly from: number,
    before: GpuSample | null = null,
  ) {
    if (before) this.previous = this.point(before);
  }

  add(sample: GpuSample): void {
    if (sample.at <= this.from) {
      this.previous = this.point(sample);
      return;
    }
    const point = this.point(sample);
    this.integrate(this.previous ?? { at: this.from, power: point.power }, point, sample.at);
    this.previous = point;
    this.samples += 1;
    this.foldPeaks(sample);
  }

  /** The figures up to `to`; null when no sample fell inside the window. */
  close(to: number): GpuFigures | null {
    if (this.samples === 0 || !this.previous) return null;
    if (to > this.previous.at) this.integrate(this.previous, { at: to, power: this.previous.power }, to);
    const seconds = (to - this.from) / 1000;
    const energy = this.integrated ? this.energyJ : null;
    return {
      gpuIndices: [...this.gpuIndices],
      gpuEnergyJ: energy,
      gpuMeanPowerW: energy !== null && seconds > 0 ? energy / seconds : null,
      gpuPeakPowerW: this.peakPowerW,
      gpuPeakMemoryMiB: this.peakMemoryMiB,
      gpuMaxTemperatureC: this.maxTemperatureC,
      gpuThrottled: this.throttled,
      samples: this.samples,
    };
  }

  private point(sample: GpuSample): Point {
    const power = new Map<number, number | null>();
    for (const gpu of sample.gpus) if (this.gpuIndices.includes(gpu.index)) power.set(gpu.index, gpu.powerW);
    return { at: sample.at, power };
  }

  /** Adds the trapezoid from a to b, clipped to start at `from`. */
  private integrate(a: Point, b: Point, bAt: number): void {
    const start = Math.max(a.at, this.from);
    if (bAt <= start) return;
    for (const index of this.gpuIndices) {
      const pa = a.power.get(index);
      const pb = b.power.get(index);
      if (pa == null || pb == null) continue; // a gap in the readings is not 0 W
      const pStart = a.at >= this.from ? pa : pa + ((pb - pa) * (this.from - a.at)) / (bAt - a.at);
      this.energyJ += ((pStart + pb) / 2) * ((bAt - start) / 1000);
      this.integrated = true;
    }
  }

  private foldPeaks(sample: GpuSample): void {
    let total: number | null = null;
    for (const gpu of sample.gpus) {
      if (!this.gpuIndices.includes(gpu.index)) continue;
      if (gpu.powerW !== null) total = (total ?? 0) + gpu.powerW;
      this.peakMemoryMiB = maxOf(this.peakMemoryMiB, gpu.memoryUsedMiB);
      this.maxTemperatureC = maxOf(this.maxTemperatureC, gpu.temperatureC);
      if (gpu.throttled !== null) this.throttled = this.throttled === true || gpu.throttled;
    }
    this.peakPowerW = maxOf(this.peakPowerW, total);
  }
}

function maxOf(a: number | null, b: number | null): number | null {
  if (b === null) return a;
  return a === null ? b : Math.max(a, b);
}

// One experiment's GPU figures, folded sample by sample (constant memory, so
// an hours-long experiment costs nothing more). Energy is the trapezoid
// integral of each GPU's power over [from, to], summed over the experiment's
// GPUs. Before a GPU's first reading inside the window its power is
// interpolated from the reading before the window (or, with none, as when the
// first experiment starts before nvidia-smi's first answer, holds the first
// reading); after its last one it holds that value; a reading with no power
// (or a GPU missing from a sample) is bridged from the readings around it.
// All of that only while the readings are close: when the longest stretch
// without a power reading of one of its GPUs (inside the window or
// bracketing it) is longer than maxGapMs, the energy is no measurement:
// null, with the reason (gpuEnergyMissing), never a figure stretched over a
// silent sampler.
import type { GpuFigures, GpuSample } from '../domain/gpu.js';

/** One GPU's power over the window so far. */
interface Track {
  /** Its latest power reading (possibly from before the window). */
  last: { at: number; powerW: number } | null;
  /** The longest stretch without a power reading that touches the window. */
  maxGapMs: number;
  /** It was in a sample, but with no power (nvidia-smi's [N/A] / [Not Supported]). */
  sawNoPower: boolean;
}

export class EnergyWindow {
  private readonly tracks = new Map<number, Track>();
  private energyJ = 0;
  private peakPowerW: number | null = null;
  private peakMemoryMiB: number | null = null;
  private maxTemperatureC: number | null = null;
  private throttled: boolean | null = null;
  private samples = 0;
  private sawAny = false;

  /** `before`: the latest sample taken before `from`, if any; `maxGapMs`: see gpuStaleAfterMs. */
  constructor(
    private readonly gpuIndices: readonly number[],
    private readonly from: number,
    before: GpuSample | null = null,
    private readonly maxGapMs: number = 3000,
  ) {
    for (const index of gpuIndices) this.tracks.set(index, { last: null, maxGapMs: 0, sawNoPower: false });
    if (before) this.add(before);
  }

  add(sample: GpuSample): void {
    this.sawAny = true;
    for (const [index, track] of this.tracks) {
      const reading = sample.gpus.find((g) => g.index === index);
      if (reading && reading.powerW === null) track.sawNoPower = true;
      if (!reading || reading.powerW === null) continue;
      if (sample.at <= this.from) track.last = { at: sample.at, powerW: reading.powerW };
      else this.reach(track, sample.at, reading.powerW);
    }
    if (sample.at <= this.from) return;
    this.samples += 1;
    this.foldPeaks(sample);
  }

  /** The figures up to `to`; null when telemetry saw nothing at all (no sample before or inside the window). */
  close(to: number): GpuFigures | null {
    if (!this.sawAny) return null;
    for (const track of this.tracks.values()) if (track.last && to > track.last.at) this.reach(track, to, track.last.powerW);
    const missing = this.missingWhy();
    const seconds = (to - this.from) / 1000;
    const energy = missing === null ? this.energyJ : null;
    return {
      gpuIndices: [...this.gpuIndices],
      gpuEnergyJ: energy,
      gpuMeanPowerW: energy !== null && seconds > 0 ? energy / seconds : null,
      gpuPeakPowerW: this.peakPowerW,
      gpuPeakMemoryMiB: this.peakMemoryMiB,
      gpuMaxTemperatureC: this.maxTemperatureC,
      gpuThrottled: this.throttled,
      samples: this.samples,
      gpuEnergyMissing: missing,
    };
  }

  /** Carries a GPU's power from its last reading to (at, powerW): the trapezoid inside the window, and the gap. */
  private reach(track: Track, at: number, powerW: number): void {
    const last = track.last ?? { at: this.from, powerW }; // none yet: the first reading held back to the start
    const start = Math.max(last.at, this.from);
    if (at > start) {
      const pStart = last.at >= this.from ? last.powerW : last.powerW + ((powerW - last.powerW) * (this.from - last.at)) / (at - last.at);
      this.energyJ += ((pStart + powerW) / 2) * ((at - start) / 1000);
    }
    track.maxGapMs = Math.max(track.maxGapMs, at - last.at);
    track.last = { at, powerW };
  }

  /** Why the energy is no measurement; null when every GPU was read often enough. */
  private missingWhy(): string | null {
    for (const [index, track] of this.tracks) {
      if (!track.last) return track.sawNoPower ? `GPU ${index} reports no power draw` : `no reading of GPU ${index}`;
      if (track.maxGapMs > this.maxGapMs) {
        return `GPU ${index}: no power reading for ${seconds(track.maxGapMs)} (more than ${seconds(this.maxGapMs)})`;
      }
    }
    return null;
  }

  private foldPeaks(sample: GpuSample): void {
    let total: number | null = null;
    for (const gpu of sample.gpus) {
      if (!this.tracks.has(gpu.index)) continue;
      if (gpu.powerW !== null) total = (total ?? 0) + gpu.powerW;
      this.peakMemoryMiB = maxOf(this.peakMemoryMiB, gpu.memoryUsedMiB);
      this.maxTemperatureC = maxOf(this.maxTemperatureC, gpu.temperatureC);
      if (gpu.throttled !== null) this.throttled = this.throttled === true || gpu.throttled;
    }
    this.peakPowerW = maxOf(this.peakPowerW, total);
  }
}

/** "12 s", "0.5 s". */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (b === null) return a;
  return a === null ? b : Math.max(a, b);
}

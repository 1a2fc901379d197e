// What lem-tui knows of a GPU: one reading per GPU per sample (from
// nvidia-smi on the host), and the figures of one experiment computed from
// those samples. null = not reported by the driver ("[N/A]", "[Not
// Supported]", or a field it does not know): never 0.

export interface GpuReading {
  index: number;
  uuid: string | null;
  /** As nvidia-smi names it: "NVIDIA H200". */
  name: string | null;
  powerW: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  utilizationPct: number | null;
  temperatureC: number | null;
  /** A thermal slowdown (hardware or software) is active. */
  throttled: boolean | null;
}

/** All GPUs' readings taken at one moment (epoch ms). */
export interface GpuSample {
  at: number;
  gpus: GpuReading[];
}

/** One experiment's GPU figures, measured on the host over its run; null where not measured. */
export interface GpuFigures {
  /** The GPUs it used (indices), as attributed by CUDA_VISIBLE_DEVICES. */
  gpuIndices: number[];
  /** ∫ power dt over its run (trapezoids), summed over its GPUs. */
  gpuEnergyJ: number | null;
  gpuMeanPowerW: number | null;
  gpuPeakPowerW: number | null;
  gpuPeakMemoryMiB: number | null;
  gpuMaxTemperatureC: number | null;
  gpuThrottled: boolean | null;
  /** How many samples the figures rest on. */
  samples: number;
  /**
   * Why gpuEnergyJ is null ("GPU 0: no power reading for 12 s"); null when it
   * was measured. A missing energy always says why, so "n/a" is never a guess.
   */
  gpuEnergyMissing: string | null;
}

/**
 * How old a reading may be before it no longer counts as live, for a sampler
 * asked every intervalMs: three intervals, and never under 3 s (a busy host
 * may delay one block). Past it the sampler is restarted, the panel says
 * "stale", and an energy window with a longer gap is no measurement.
 */
export function gpuStaleAfterMs(intervalMs: number): number {
  return Math.max(3000, 3 * intervalMs);
}

/** The harness's energy and the host's differ by more than this (a sign one measured the wrong thing). */
export const ENERGY_DISAGREEMENT = 0.25;

/**
 * The harness's energy and the host's differ by more than ENERGY_DISAGREEMENT,
 * relative to the host's; null when either is missing (nothing to compare).
 */
export function energyDisagrees(harnessJ: number | null | undefined, hostJ: number | null | undefined): boolean | null {
  if (harnessJ == null || hostJ == null || !Number.isFinite(harnessJ) || !Number.isFinite(hostJ)) return null;
  if (hostJ === 0) return harnessJ !== 0; // no relative difference to 0 J: any energy at all disagrees
  return Math.abs(harnessJ - hostJ) / hostJ > ENERGY_DISAGREEMENT;
}

// The host-measured GPU figures in a manifest entry (a lem-tui extension,
// snake_case like the rest of the manifest; llenergymeasure ignores it), and
// back, so a resumed campaign still shows the figures of what already ran.
import type { GpuFigures } from '../domain/gpu.js';

export interface ManifestGpu {
  gpu_indices: number[];
  energy_j: number | null;
  mean_power_w: number | null;
  peak_power_w: number | null;
  peak_memory_mib: number | null;
  max_temperature_c: number | null;
  throttled: boolean | null;
  samples: number;
  /** Why energy_j is null ("GPU 0: no power reading for 12 s"); null when measured. */
  energy_missing?: string | null;
}

export function manifestGpu(figures: GpuFigures | null): ManifestGpu | null {
  if (!figures) return null;
  return {
    gpu_indices: figures.gpuIndices,
    energy_j: figures.gpuEnergyJ,
    mean_power_w: figures.gpuMeanPowerW,
    peak_power_w: figures.gpuPeakPowerW,
    peak_memory_mib: figures.gpuPeakMemoryMiB,
    max_temperature_c: figures.gpuMaxTemperatureC,
    throttled: figures.gpuThrottled,
    samples: figures.samples,
    energy_missing: figures.gpuEnergyMissing,
  };
}

/** Figures from an entry's `gpu`; null when absent or not this shape (a hand-edited manifest is no crash). */
export function gpuFromManifest(value: unknown): GpuFigures | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  if (!Array.isArray(v.gpu_indices) || !v.gpu_indices.every((i) => Number.isInteger(i))) return null;
  return {
    gpuIndices: v.gpu_indices as number[],
    gpuEnergyJ: num(v.energy_j),
    gpuMeanPowerW: num(v.mean_power_w),
    gpuPeakPowerW: num(v.peak_power_w),
    gpuPeakMemoryMiB: num(v.peak_memory_mib),
    gpuMaxTemperatureC: num(v.max_temperature_c),
    gpuThrottled: typeof v.throttled === 'boolean' ? v.throttled : null,
    samples: num(v.samples) ?? 0,
    gpuEnergyMissing: typeof v.energy_missing === 'string' ? v.energy_missing : null,
  };
}

// Cool-down by temperature (runner.cool_down): is every GPU the next
// experiment uses at or below the target? Pure; the wait is campaign/coolDown.ts.
import type { GpuSample } from '../domain/gpu.js';

export interface CoolDownTarget {
  /** At or below this temperature (°C); null: temperature not waited for. */
  maxTemperatureC: number | null;
  /** At or below this power draw (W); null: power not waited for. */
  idlePowerW: number | null;
}

/**
 * What is still too warm, readable ("GPU 0: 67 °C → 45 °C, GPU 1: 180 W → 100 W");
 * null when every GPU meets the target. A GPU that does not report a reading
 * cannot be waited for on it and counts as meeting it (the wait is bounded by
 * max_seconds anyway; a missing sensor must not turn every gap into the maximum).
 */
export function stillWarm(sample: GpuSample, gpuIndices: readonly number[], target: CoolDownTarget): string | null {
  const waiting: string[] = [];
  for (const gpu of sample.gpus) {
    if (!gpuIndices.includes(gpu.index)) continue;
    const parts: string[] = [];
    if (target.maxTemperatureC !== null && gpu.temperatureC !== null && gpu.temperatureC > target.maxTemperatureC)
      parts.push(`${Math.round(gpu.temperatureC)} °C → ${target.maxTemperatureC} °C`);
    if (target.idlePowerW !== null && gpu.powerW !== null && gpu.powerW > target.idlePowerW)
      parts.push(`${Math.round(gpu.powerW)} W → ${target.idlePowerW} W`);
    if (parts.length > 0) waiting.push(`GPU ${gpu.index}: ${parts.join(', ')}`);
  }
  return waiting.length > 0 ? waiting.join(', ') : null;
}

// llenergymeasure's later check before each experiment: a GPU it will use
// that already holds memory (a previous run did not release it) skews the
// measurement. Pure: which GPUs hold more than the threshold, readable.
import type { GpuSample } from '../domain/gpu.js';

/** "GPU 0 holds 20.3 GiB, GPU 1 holds 2.0 GiB"; null when none holds more than thresholdMiB. */
export function residualMemory(sample: GpuSample | null, gpuIndices: readonly number[], thresholdMiB: number): string | null {
  if (!sample) return null;
  const held = sample.gpus
    .filter((g) => gpuIndices.includes(g.index) && g.memoryUsedMiB !== null && g.memoryUsedMiB > thresholdMiB)
    .map((g) => `GPU ${g.index} holds ${(g.memoryUsedMiB! / 1024).toFixed(1)} GiB`);
  return held.length > 0 ? held.join(', ') : null;
}

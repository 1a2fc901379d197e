// Which GPUs an experiment uses: those CUDA_VISIBLE_DEVICES names (indices or
// UUIDs, comma-separated, as CUDA reads it), else all. CUDA stops at the first
// entry it cannot resolve and hides the rest; so do we. "" or "-1" hides all
// GPUs: the experiment uses none.
import type { GpuReading } from '../domain/gpu.js';

type Known = Pick<GpuReading, 'index' | 'uuid'>;

/** The host indices of the GPUs the experiment sees, in CUDA's order. */
export function visibleGpuIndices(cudaVisibleDevices: string | undefined, gpus: readonly Known[]): number[] {
  if (cudaVisibleDevices === undefined) return gpus.map((g) => g.index);
  const chosen: number[] = [];
  for (const raw of cudaVisibleDevices.split(',')) {
    const id = raw.trim();
    const gpu = /^\d+$/.test(id) ? gpus.find((g) => g.index === Number(id)) : id === '' ? undefined : byUuid(id, gpus);
    if (!gpu || chosen.includes(gpu.index)) break;
    chosen.push(gpu.index);
  }
  return chosen;
}

// CUDA accepts a unique prefix of the UUID, with or without "GPU-".
function byUuid(id: string, gpus: readonly Known[]): Known | undefined {
  const want = id.toLowerCase().replace(/^gpu-/, '');
  const matches = gpus.filter((g) => g.uuid?.toLowerCase().replace(/^gpu-/, '').startsWith(want));
  return matches.length === 1 ? matches[0] : undefined;
}

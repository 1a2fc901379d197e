// GPU memory of a service, for health_check.gpu_memory_threshold_pct
// (persistent mode: a long-lived container may keep memory an experiment
// left behind). Asked of nvidia-smi inside the service; an image without it
// (or a machine without a GPU) answers "unavailable", never an error. Pure:
// the argv and its parser; compose/ContainerManager.ts runs it with `exec`.

export interface GpuMemory {
  index: number;
  usedMb: number;
  totalMb: number;
}

export const NVIDIA_SMI_MEMORY_ARGV = [
  'nvidia-smi',
  '--query-gpu=index,memory.used,memory.total',
  '--format=csv,noheader,nounits',
];

/** Parses `index, used, total` lines; null when the output is not that. */
export function parseNvidiaSmiMemory(text: string): GpuMemory[] | null {
  const gpus: GpuMemory[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(',').map((f) => Number(f.trim()));
    if (fields.length !== 3 || fields.some((n) => !Number.isFinite(n))) return null;
    const [index, usedMb, totalMb] = fields as [number, number, number];
    if (totalMb <= 0) return null;
    gpus.push({ index, usedMb, totalMb });
  }
  return gpus.length > 0 ? gpus : null;
}

/** The fullest GPU's use in percent (0..100). */
export function highestUsePct(gpus: readonly GpuMemory[]): number {
  return Math.max(...gpus.map((g) => (100 * g.usedMb) / g.totalMb));
}

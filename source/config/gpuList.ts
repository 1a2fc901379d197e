// The value of --gpus / runner.gpus: `all`, or GPUs by index or UUID
// (`0,1,3`, `GPU-5f2a9c1e,GPU-77aa…`, a YAML list `[0, 1]`). Pure: which GPUs
// exist is asked of nvidia-smi later (io/nvidia/listGpus.ts).

export type GpuSpec = 'all' | string[];

const INDEX = /^\d{1,3}$/;
// A full or shortened UUID as nvidia-smi -L prints it (GPU-… or MIG-…).
const UUID = /^(GPU|MIG)-[0-9a-fA-F][0-9a-fA-F-]*$/;

/** The spec, or the message that says what was wrong (without the setting's name). */
export function parseGpuSpec(value: unknown): { spec: GpuSpec } | { error: string } {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'all') return { spec: 'all' };
  const items =
    typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : typeof value === 'number' ? [value] : null;
  if (!items) return { error: 'expected all, or GPU indices or UUIDs like 0,1,3' };
  const ids: string[] = [];
  for (const item of items) {
    const id = typeof item === 'number' ? String(item) : typeof item === 'string' ? item.trim() : null;
    if (id === null || !(INDEX.test(id) || UUID.test(id))) {
      return { error: `expected GPU indices (0, 1, …) or UUIDs (GPU-…), got ${JSON.stringify(item)}` };
    }
    const canonical = INDEX.test(id) ? String(Number(id)) : id;
    if (ids.includes(canonical)) return { error: `GPU ${canonical} is listed twice` };
    ids.push(canonical);
  }
  if (ids.length === 0) return { error: 'expected at least one GPU, or all' };
  return { spec: ids };
}

// `nvidia-smi -L` ("GPU 0: NVIDIA H200 (UUID: GPU-5f2a…)") and the GPUs of
// --gpus it resolves to. Pure: the caller runs nvidia-smi (listGpus.ts).
import type { GpuSpec } from '../../config/gpuList.js';
import type { SlotGpu } from '../../domain/gpuSlots.js';

export interface ListedGpu {
  index: number;
  name: string;
  uuid: string;
}

const LINE = /^GPU (\d+): (.*?) \(UUID: ([^)]+)\)\s*$/;

/** The GPU lines of `nvidia-smi -L`; MIG device lines (indented) are not GPUs of their own here. */
export function parseGpuList(stdout: string): ListedGpu[] {
  const gpus: ListedGpu[] = [];
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line.trimEnd());
    if (m) gpus.push({ index: Number(m[1]), name: m[2]!, uuid: m[3]! });
  }
  return gpus;
}

/**
 * The GPUs of the spec, as nvidia-smi lists them; `listed` null: nvidia-smi
 * did not answer (`why` says how), and ids are taken as given. An error
 * says what is wrong with the value, not which setting holds it.
 */
export function resolveGpus(spec: GpuSpec, listed: ListedGpu[] | null, why: string): { gpus: SlotGpu[] } | { error: string } {
  if (listed === null) {
    if (spec === 'all') return { error: `all needs nvidia-smi to list the GPUs, and ${why}` };
    return { gpus: spec.map((id) => ({ id, index: /^\d+$/.test(id) ? Number(id) : null, uuid: id.startsWith('GPU-') ? id : null })) };
  }
  if (spec === 'all') {
    if (listed.length === 0) return { error: 'all, but nvidia-smi -L lists no GPU' };
    return { gpus: listed.map((g) => ({ id: String(g.index), index: g.index, uuid: g.uuid })) };
  }
  const gpus: SlotGpu[] = [];
  for (const id of spec) {
    const found = findGpu(id, listed);
    if (typeof found === 'string') return { error: found };
    if (found && gpus.some((g) => g.index === found.index)) return { error: `${id} is GPU ${found.index}, listed twice` };
    // A MIG device is passed on as given: CUDA takes its UUID.
    gpus.push(found ? { id, index: found.index, uuid: found.uuid } : { id, index: null, uuid: null });
  }
  return { gpus };
}

function findGpu(id: string, listed: ListedGpu[]): ListedGpu | string | null {
  const known = listed.map((g) => g.index).join(', ') || 'none';
  if (/^\d+$/.test(id)) return listed.find((g) => g.index === Number(id)) ?? `no GPU ${id} (nvidia-smi -L lists ${known})`;
  if (id.startsWith('MIG-')) return null;
  const matches = listed.filter((g) => g.uuid.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  return matches.length === 0 ? `no GPU with UUID ${id} (nvidia-smi -L lists ${known})` : `${id} names more than one GPU`;
}

// The GPUs a campaign runs on with --gpus, and how they are split into slots
// (one experiment at a time per slot). Pure words shared by config, engine,
// dispatchers and views.

/** One GPU of --gpus: the id the user gave, and what nvidia-smi -L says of it (when it answered). */
export interface SlotGpu {
  /** As given: "0", "GPU-5f2a…", or an index from `all`. */
  id: string;
  index: number | null;
  uuid: string | null;
}

/** What the views call a GPU: its index when known, else the id as given. */
export function gpuLabel(gpu: SlotGpu): string {
  return gpu.index !== null ? String(gpu.index) : gpu.id;
}

export function gpuLabels(gpus: readonly SlotGpu[]): string[] {
  return gpus.map(gpuLabel);
}

/**
 * The value of CUDA_VISIBLE_DEVICES (and NVIDIA_VISIBLE_DEVICES) for a slot:
 * UUIDs when known. A UUID names the same GPU whatever the container runtime
 * renumbers (NVIDIA_VISIBLE_DEVICES=2 makes it device 0 inside) and whatever
 * CUDA_DEVICE_ORDER says; an index does neither.
 */
export function visibleDevicesValue(gpus: readonly SlotGpu[]): string {
  return gpus.map((g) => g.uuid ?? g.id).join(',');
}

/** Consecutive groups of `perExperiment` GPUs, in the order given; a remainder too small for a slot is left idle. */
export function gpuGroups<T>(gpus: readonly T[], perExperiment: number): T[][] {
  const size = Math.max(1, Math.floor(perExperiment));
  const groups: T[][] = [];
  for (let i = 0; i + size <= gpus.length; i += size) groups.push(gpus.slice(i, i + size));
  return groups;
}

/**
 * The compose service that runs `service`'s experiments on these GPUs in
 * persistent mode ("pytorch-gpu0", "pytorch-gpu2-3"): one long-lived
 * container per GPU slot, each named for its GPUs.
 */
export function gpuServiceName(service: string, labels: readonly string[]): string {
  const part = labels.map((l) => l.replace(/[^a-zA-Z0-9]+/g, '').slice(0, 12)).join('-');
  return `${service}-gpu${part}`;
}

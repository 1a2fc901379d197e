// Persistent mode with --gpus: one long-lived service per (base service, GPU
// slot), e.g. "pytorch-gpu0" and "pytorch-gpu1", each defined in the
// generated override file (override.ts) as an `extends` of the base service
// with its own CUDA_VISIBLE_DEVICES and NVIDIA_VISIBLE_DEVICES. Distinct
// service names keep everything keyed by service (watcher, restart, ps rows,
// logs) per GPU, and a restart of one GPU's container leaves the others alone.
// Pure: names only.
import { gpuLabels, gpuServiceName, visibleDevicesValue, type SlotGpu } from '../domain/gpuSlots.js';

/** A GPU slot as persistent mode starts it. */
export interface PersistentGpuSlot {
  /** The slot's GPU labels (gpuLabels): they name its service, as DispatchRequest.gpus does. */
  labels: string[];
  /** CUDA_VISIBLE_DEVICES and NVIDIA_VISIBLE_DEVICES of its container (visibleDevicesValue): set at creation, which the NVIDIA runtime reads. */
  visibleDevices: string;
}

/** The slots of --gpus (gpuGroups) as persistent mode takes them: labels and visible devices of each. */
export function persistentGpuSlots(groups: readonly (readonly SlotGpu[])[]): PersistentGpuSlot[] {
  return groups.map((g) => ({ labels: gpuLabels(g), visibleDevices: visibleDevicesValue(g) }));
}

/** One per-GPU service: its name, the base service it extends, and its GPUs. */
export interface GpuService {
  name: string;
  base: string;
  visibleDevices: string;
}

/** Service-major: pytorch-gpu0, pytorch-gpu1, vllm-gpu0, ... Throws on two slots that would share a name. */
export function gpuServicesOf(services: readonly string[], slots: readonly PersistentGpuSlot[]): GpuService[] {
  const out: GpuService[] = [];
  const seen = new Set(services);
  for (const base of services) {
    for (const slot of slots) {
      const name = gpuServiceName(base, slot.labels);
      if (seen.has(name)) throw new Error(`GPU slot ${slot.labels.join(',')} of service ${base} would reuse the service name ${name}`);
      seen.add(name);
      out.push({ name, base, visibleDevices: slot.visibleDevices });
    }
  }
  return out;
}

/** What `up -d` starts: the per-GPU services with slots, else the services themselves. */
export function startedServices(services: readonly string[], slots: readonly PersistentGpuSlot[] | null): string[] {
  return slots && slots.length > 0 ? gpuServicesOf(services, slots).map((s) => s.name) : [...services];
}

/** The service that runs `service`'s experiments on `gpus`: its per-GPU service with slots, else `service`. */
export function serviceForSlot(service: string, gpus: readonly string[] | undefined, slots: readonly PersistentGpuSlot[] | null): string {
  return slots && slots.length > 0 && gpus && gpus.length > 0 ? gpuServiceName(service, gpus) : service;
}

/**
 * The started services a name stands for: a per-GPU (or slot-less) service
 * itself; a base service with slots, all of its per-GPU services.
 */
export function servicesNamed(name: string, services: readonly string[], slots: readonly PersistentGpuSlot[] | null): string[] {
  if (!slots || slots.length === 0 || !services.includes(name)) return [name];
  return gpuServicesOf([name], slots).map((s) => s.name);
}

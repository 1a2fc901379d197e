// Measures each experiment's GPU figures from the host's samples: the
// sampler publishes into a GpuSampleHub, and every attempt opens an
// EnergyWindow on the GPUs its CUDA_VISIBLE_DEVICES names (all when unset).
import type { GpuFigures, GpuSample } from '../domain/gpu.js';
import { EnergyWindow } from '../gpu/energyWindow.js';
import { visibleGpuIndices } from '../gpu/visibleDevices.js';

type Listener = (sample: GpuSample) => void;

/** The latest sample and whoever listens for the next ones. */
export class GpuSampleHub {
  private last: GpuSample | null = null;
  private readonly listeners = new Set<Listener>();

  /** `maxGapMs`: a longer stretch without a reading makes an experiment's energy no measurement (gpuStaleAfterMs). */
  constructor(readonly maxGapMs: number = 3000) {}

  publish(sample: GpuSample): void {
    this.last = sample;
    for (const listener of this.listeners) listener(sample);
  }

  latest(): GpuSample | null {
    return this.last;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface GpuMeasurement {
  /** Ends the measurement at `to`; null when telemetry saw nothing of the run. */
  stop(to: number): GpuFigures | null;
}

const NOTHING: GpuMeasurement = { stop: () => null };

/** Starts measuring one run from `from`. Without a hub (telemetry off or unavailable) it measures nothing. */
export function measureGpus(hub: GpuSampleHub | null, cudaVisibleDevices: string | undefined, from: number): GpuMeasurement {
  if (!hub) return NOTHING;
  let window: EnergyWindow | null = null;
  const open = (first: GpuSample, before: GpuSample | null) =>
    new EnergyWindow(visibleGpuIndices(cudaVisibleDevices, first.gpus), from, before, hub.maxGapMs);
  const before = hub.latest();
  if (before) window = open(before, before);
  const unsubscribe = hub.subscribe((sample) => {
    window ??= open(sample, null);
    window.add(sample);
  });
  return {
    stop(to) {
      unsubscribe();
      return window?.close(to) ?? null;
    },
  };
}

// What the host's samples say that a user must be told once, not read off a
// missing figure: a GPU whose power nvidia-smi does not report ([N/A] / [Not
// Supported]: every experiment on it gets no host energy), and a GPU that
// stops answering mid-run (and, if so, comes back). Pure: campaign/gpuTelemetry.ts
// turns these into notices.
import type { GpuSample } from '../domain/gpu.js';

export interface GpuNotice {
  level: 'info' | 'warn';
  message: string;
}

export class GpuNews {
  private readonly lastSeen = new Map<number, number>();
  private readonly gone = new Set<number>();
  private readonly noPowerTold = new Set<number>();

  /** `goneAfterMs`: a GPU missing from the samples this long has stopped answering (gpuStaleAfterMs). */
  constructor(private readonly goneAfterMs: number) {}

  sample(sample: GpuSample): GpuNotice[] {
    const notices: GpuNotice[] = [];
    for (const gpu of sample.gpus) {
      if (gpu.powerW === null && !this.noPowerTold.has(gpu.index)) {
        this.noPowerTold.add(gpu.index);
        notices.push({ level: 'warn', message: `GPU ${gpu.index}: nvidia-smi reports no power draw ([N/A] or [Not Supported]): no host energy for the experiments on it` });
      }
      if (this.gone.delete(gpu.index)) notices.push({ level: 'info', message: `GPU ${gpu.index} answers nvidia-smi again` });
      this.lastSeen.set(gpu.index, sample.at);
    }
    for (const [index, seenAt] of this.lastSeen) {
      const silentMs = sample.at - seenAt;
      if (silentMs <= this.goneAfterMs || this.gone.has(index)) continue;
      this.gone.add(index);
      notices.push({ level: 'warn', message: `GPU ${index} no longer answers nvidia-smi (no reading for ${Math.round(silentMs / 1000)} s): no host energy for the experiments on it` });
    }
    return notices;
  }
}

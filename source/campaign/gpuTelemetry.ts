// GPU telemetry of one campaign: one nvidia-smi sampler (io/nvidia/gpuSampler)
// whose samples go to the state (the panel, NDJSON) and to the hub the
// experiments measure from, and what they say once (gpu/gpuNews: no power
// reported, a GPU gone). Off, or no nvidia-smi: one notice, and the
// campaign runs exactly as without it.
import type { RunSettings } from '../config/types.js';
import { gpuStaleAfterMs } from '../domain/gpu.js';
import { GpuNews } from '../gpu/gpuNews.js';
import { startGpuSampler, type GpuSampler } from '../io/nvidia/gpuSampler.js';
import type { Action } from '../state/types.js';
import { GpuSampleHub } from './gpuMeter.js';

export interface GpuTelemetry {
  /** null when telemetry is off. */
  hub: GpuSampleHub | null;
  stop(): Promise<void>;
}

export interface GpuTelemetryOptions {
  dispatch: (action: Action) => void;
  now?: () => number;
  /** The sampler's program (tests: the stand-in); default nvidia-smi on PATH. */
  command?: string;
}

export function startGpuTelemetry(settings: Pick<RunSettings, 'gpuTelemetry' | 'gpuTelemetryIntervalMs'>, options: GpuTelemetryOptions): GpuTelemetry {
  if (settings.gpuTelemetry !== 'auto') return { hub: null, stop: async () => {} };
  const { dispatch } = options;
  const now = options.now ?? Date.now;
  const staleAfterMs = gpuStaleAfterMs(settings.gpuTelemetryIntervalMs);
  const hub = new GpuSampleHub(staleAfterMs);
  const news = new GpuNews(staleAfterMs);
  dispatch({ type: 'gpu/status', at: now(), status: 'starting', reason: null, staleAfterMs });
  let told = false;
  const sampler: GpuSampler = startGpuSampler({
    intervalMs: settings.gpuTelemetryIntervalMs,
    command: options.command,
    now,
    onSample: (sample) => {
      hub.publish(sample);
      dispatch({ type: 'gpu/sample', at: sample.at, sample });
      for (const { level, message } of news.sample(sample)) dispatch({ type: 'notice', at: sample.at, level, message });
    },
    onStatus: (status, reason) => {
      dispatch({ type: 'gpu/status', at: now(), status, reason });
      if (status === 'unavailable' && !told) {
        told = true;
        dispatch({ type: 'notice', at: now(), level: 'info', message: `no GPU telemetry: ${reason ?? 'nvidia-smi failed'}` });
      }
    },
    onNotice: (level, message) => dispatch({ type: 'notice', at: now(), level, message }),
  });
  let stopped: Promise<void> | null = null;
  return { hub, stop: () => (stopped ??= sampler.stop()) };
}

// GPU telemetry in the state: the latest reading per GPU and a bounded power
// history for the sparkline (GPU_HISTORY samples, so a long campaign does not
// grow the state), and whether the latest reading is stale.
import type { GpuSample } from '../domain/gpu.js';
import { GPU_HISTORY, type Action, type CampaignState, type GpuTelemetryState, type GpuView } from './types.js';

export function initialGpuTelemetry(): GpuTelemetryState {
  return { status: 'off', reason: null, gpus: [], lastSampleAt: null, staleAfterMs: null };
}

type GpuAction = Extract<Action, { type: `gpu/${string}` }>;

export function reduceGpu(state: CampaignState, action: GpuAction): CampaignState {
  const telemetry = state.gpuTelemetry;
  if (action.type === 'gpu/status') {
    // Readings of a sampler that gave up are stale: drop them rather than show them as live.
    const gpus = action.status === 'unavailable' ? [] : telemetry.gpus;
    const staleAfterMs = action.staleAfterMs ?? telemetry.staleAfterMs;
    return { ...state, gpuTelemetry: { ...telemetry, status: action.status, reason: action.reason, gpus, staleAfterMs } };
  }
  return { ...state, gpuTelemetry: { ...telemetry, status: 'running', reason: null, gpus: withSample(telemetry.gpus, action.sample), lastSampleAt: action.sample.at } };
}

function withSample(previous: readonly GpuView[], sample: GpuSample): GpuView[] {
  const byIndex = new Map(previous.map((g) => [g.index, g]));
  return sample.gpus
    .map((reading) => {
      const history = byIndex.get(reading.index)?.powerHistory ?? [];
      const powerHistory = history.length >= GPU_HISTORY ? [...history.slice(history.length - GPU_HISTORY + 1), reading.powerW] : [...history, reading.powerW];
      return { ...reading, powerHistory };
    })
    .sort((a, b) => a.index - b.index);
}

/**
 * How old the panel's readings are when they are no longer live (the sampler
 * went silent: it is being restarted, or about to give up); null while they
 * are fresh. `now` is the state's clock (ticks once a second in the TUI).
 */
export function gpuStaleForMs(telemetry: GpuTelemetryState, now: number): number | null {
  if (telemetry.status !== 'running' || telemetry.lastSampleAt === null || telemetry.staleAfterMs === null) return null;
  const age = now - telemetry.lastSampleAt;
  return age > telemetry.staleAfterMs ? age : null;
}

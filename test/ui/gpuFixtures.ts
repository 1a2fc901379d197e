// GPU telemetry scenes for the view tests: the running scene with a minute of
// samples from the host, and finished experiments with host-measured energy.
import type { GpuFigures, GpuReading, GpuSample } from '../../source/domain/gpu.js';
import { campaignReducer } from '../../source/state/reducer.js';
import type { Action, CampaignState } from '../../source/state/types.js';
import { GPU_HISTORY } from '../../source/state/types.js';
import { NOW, runState } from './fixtures.js';

const H200_MIB = 143_771;

function reading(index: number, step: number, patch: Partial<GpuReading> = {}): GpuReading {
  return {
    index,
    uuid: `GPU-${index}`,
    name: 'NVIDIA H200',
    // A slow wave per GPU, phase-shifted, so the sparklines differ but stay fixed.
    powerW: Math.round(350 + 250 * Math.sin((step + index * 15) / 12)),
    memoryUsedMiB: 40_000 + 5_000 * index,
    memoryTotalMiB: H200_MIB,
    utilizationPct: 60 + 4 * index,
    temperatureC: 55 + index,
    throttled: false,
    ...patch,
  };
}

/**
 * A minute of samples (GPU_HISTORY, 500 ms apart, ending at NOW) from `count`
 * GPUs. `patch(index, step)` changes a reading: a throttled GPU, a null power.
 */
export function gpuSamples(count: number, patch: (index: number, step: number) => Partial<GpuReading> = () => ({})): Action[] {
  return Array.from({ length: GPU_HISTORY }, (_, step): Action => {
    const sample: GpuSample = {
      at: NOW - (GPU_HISTORY - 1 - step) * 500,
      gpus: Array.from({ length: count }, (_, i) => reading(i, step, patch(i, step))),
    };
    return { type: 'gpu/sample', at: NOW, sample };
  });
}

/** The run scene with `count` GPUs sampled for a minute. */
export function gpuRunState(count: number, patch?: (index: number, step: number) => Partial<GpuReading>): CampaignState {
  const starting: Action = { type: 'gpu/status', at: NOW, status: 'starting', reason: null };
  return [starting, ...gpuSamples(count, patch)].reduce(campaignReducer, runState());
}

/** 8 GPUs: GPU 3 throttled (hot), GPU 5 reports no power (its history is all gaps). */
export const eightGpus = () =>
  gpuRunState(8, (i) => (i === 3 ? { throttled: true, temperatureC: 91 } : i === 5 ? { powerW: null } : {}));

/** Telemetry asked for, no nvidia-smi on the host. */
export const gpuUnavailableState = (): CampaignState =>
  campaignReducer(runState(), { type: 'gpu/status', at: NOW, status: 'unavailable', reason: 'nvidia-smi not found' });

export function figures(gpuEnergyJ: number | null): GpuFigures {
  return {
    gpuIndices: [0],
    gpuEnergyJ,
    gpuMeanPowerW: null,
    gpuPeakPowerW: null,
    gpuPeakMemoryMiB: null,
    gpuMaxTemperatureC: null,
    gpuThrottled: false,
    samples: 100,
    gpuEnergyMissing: gpuEnergyJ === null ? 'GPU 0 reports no power draw' : null,
  };
}

/**
 * Gives the completed experiments host figures (as `experiment/finished` would
 * carry them): 5 % above the harness's energy, except `far` (2000 J on the host).
 */
export function withHostEnergy(state: CampaignState, far: string): CampaignState {
  return {
    ...state,
    experiments: state.experiments.map((e) => {
      if (e.status !== 'completed') return e;
      const harness = e.metrics?.energyJ ?? null;
      return { ...e, gpu: figures(e.expId === far ? 2000 : harness === null ? 900 : harness * 1.05) };
    }),
  };
}

import { describe, expect, it } from 'vitest';
import type { GpuReading } from '../../source/domain/gpu.js';
import { gpuStaleForMs } from '../../source/state/gpuReducer.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { GPU_HISTORY } from '../../source/state/types.js';

const reading = (index: number, powerW: number | null): GpuReading => ({
  index, uuid: `GPU-${index}`, name: 'NVIDIA H200', powerW, memoryUsedMiB: 1, memoryTotalMiB: 2, utilizationPct: 0, temperatureC: 30, throttled: false,
});

describe('GPU telemetry in the state', () => {
  it('is off until told, then starting, then running with the first sample', () => {
    let state = initialCampaignState();
    expect(state.gpuTelemetry.status).toBe('off');
    state = campaignReducer(state, { type: 'gpu/status', at: 1, status: 'starting', reason: null });
    expect(state.gpuTelemetry.status).toBe('starting');
    state = campaignReducer(state, { type: 'gpu/sample', at: 2, sample: { at: 2, gpus: [reading(1, 50), reading(0, 60)] } });
    expect(state.gpuTelemetry).toMatchObject({ status: 'running', lastSampleAt: 2 });
    expect(state.gpuTelemetry.gpus.map((g) => [g.index, g.powerHistory])).toEqual([[0, [60]], [1, [50]]]);
  });

  it('keeps a bounded power history per GPU, nulls included, newest last', () => {
    let state = initialCampaignState();
    const n = GPU_HISTORY * 3;
    for (let i = 0; i < n; i++) {
      state = campaignReducer(state, { type: 'gpu/sample', at: i, sample: { at: i, gpus: [reading(0, i % 7 === 0 ? null : i)] } });
    }
    const history = state.gpuTelemetry.gpus[0]!.powerHistory;
    expect(history).toHaveLength(GPU_HISTORY);
    expect(history.at(-1)).toBe(n - 1);
    expect(history[0]).toBe(n - GPU_HISTORY);
    expect(history).toContain(null);
  });

  it('unavailable keeps its reason', () => {
    const state = campaignReducer(initialCampaignState(), { type: 'gpu/status', at: 1, status: 'unavailable', reason: 'nvidia-smi not found' });
    expect(state.gpuTelemetry).toMatchObject({ status: 'unavailable', reason: 'nvidia-smi not found', gpus: [] });
  });

  it('a reading older than the stale limit (from gpu/status) is stale by the state clock; fresh, or the limit unknown, it is not', () => {
    let state = campaignReducer(initialCampaignState(), { type: 'gpu/status', at: 1000, status: 'starting', reason: null, staleAfterMs: 3000 });
    state = campaignReducer(state, { type: 'gpu/sample', at: 2000, sample: { at: 2000, gpus: [reading(0, 50)] } });
    expect(state.gpuTelemetry.staleAfterMs).toBe(3000);
    expect(gpuStaleForMs(state.gpuTelemetry, campaignReducer(state, { type: 'tick', at: 5000 }).now)).toBeNull();
    expect(gpuStaleForMs(state.gpuTelemetry, campaignReducer(state, { type: 'tick', at: 14_000 }).now)).toBe(12_000);
    expect(gpuStaleForMs({ ...state.gpuTelemetry, staleAfterMs: null }, 14_000)).toBeNull();
    // A later status keeps the limit it was told.
    state = campaignReducer(state, { type: 'gpu/status', at: 3000, status: 'running', reason: null });
    expect(state.gpuTelemetry.staleAfterMs).toBe(3000);
  });
});

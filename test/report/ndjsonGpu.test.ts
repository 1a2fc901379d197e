import { describe, expect, it } from 'vitest';
import type { GpuFigures, GpuReading } from '../../source/domain/gpu.js';
import { createNdjsonReporter } from '../../source/report/ndjson.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action } from '../../source/state/types.js';

const gpu: GpuReading = { index: 0, uuid: 'GPU-1', name: 'NVIDIA H200', powerW: 120.5, memoryUsedMiB: 512, memoryTotalMiB: 143771, utilizationPct: 3, temperatureC: 34, throttled: false };

function run(actions: Action[]): Record<string, unknown>[] {
  const out: string[] = [];
  const report = createNdjsonReporter((line) => out.push(line));
  let state = initialCampaignState();
  for (const action of actions) {
    state = campaignReducer(state, action);
    report(action, state);
  }
  return out.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('NDJSON GPU events', () => {
  it('gpu.sample at most once a second, with the documented fields', () => {
    const samples = [0, 500, 999, 1000, 1500, 2600].map((at): Action => ({ type: 'gpu/sample', at: 1_000_000 + at, sample: { at: 1_000_000 + at, gpus: [gpu] } }));
    const events = run(samples).filter((e) => e.type === 'gpu.sample');
    expect(events.map((e) => e.at)).toEqual(['1970-01-01T00:16:40.000Z', '1970-01-01T00:16:41.000Z', '1970-01-01T00:16:42.600Z']);
    expect(events[0]!.gpus).toEqual([gpu]);
  });

  it('gpu.status says why there is no telemetry', () => {
    const events = run([{ type: 'gpu/status', at: 1, status: 'unavailable', reason: 'nvidia-smi not found' }]);
    expect(events).toMatchObject([{ type: 'gpu.status', status: 'unavailable', reason: 'nvidia-smi not found' }]);
  });

  it("experiment.finished's metrics carry the host's figures beside the harness's, null when not measured", () => {
    const figures: GpuFigures = { gpuIndices: [0], gpuEnergyJ: 900, gpuMeanPowerW: 300, gpuPeakPowerW: 350, gpuPeakMemoryMiB: 20_000, gpuMaxTemperatureC: 61, gpuThrottled: false, samples: 6 };
    const finished = (gpuFigures: GpuFigures | null, metrics: { energyJ: number } | null): Action => ({
      type: 'experiment/finished', at: 5, expId: '0001', status: 'completed', exitCode: 0, reason: null, durationMs: 3000,
      metrics: metrics as never, gpu: gpuFigures,
    });
    const [withGpu, without, neither] = [finished(figures, { energyJ: 880 }), finished(null, { energyJ: 880 }), finished(null, null)].map(
      (a) => run([a]).find((e) => e.type === 'experiment.finished')!.metrics,
    );
    expect(withGpu).toMatchObject({ energyJ: 880, gpuEnergyJ: 900, gpuMeanPowerW: 300, gpuPeakMemoryMiB: 20_000, gpuMaxTemperatureC: 61, gpuThrottled: false, gpuIndices: [0] });
    expect(without).toMatchObject({ energyJ: 880, gpuEnergyJ: null, gpuThrottled: null });
    expect(neither).toBeNull();
  });
});

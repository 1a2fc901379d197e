import { describe, expect, it } from 'vitest';
import { experimentViews } from '../../source/campaign/experimentViews.js';
import { createManifest, updateEntry } from '../../source/campaign/manifest.js';
import { gpuFromManifest, manifestGpu } from '../../source/campaign/manifestGpu.js';
import type { GpuFigures } from '../../source/domain/gpu.js';
import { plan } from './planFixture.js';

const figures: GpuFigures = { gpuIndices: [0, 1], gpuEnergyJ: 912.5, gpuMeanPowerW: 304.2, gpuPeakPowerW: 351, gpuPeakMemoryMiB: 20480, gpuMaxTemperatureC: 61, gpuThrottled: true, samples: 7, gpuEnergyMissing: null };

describe('GPU figures in the manifest', () => {
  it('round-trip through the snake_case entry', () => {
    expect(manifestGpu(figures)).toEqual({ gpu_indices: [0, 1], energy_j: 912.5, mean_power_w: 304.2, peak_power_w: 351, peak_memory_mib: 20480, max_temperature_c: 61, throttled: true, samples: 7, energy_missing: null });
    expect(gpuFromManifest(JSON.parse(JSON.stringify(manifestGpu(figures))))).toEqual(figures);
    expect(manifestGpu(null)).toBeNull();
    const missing = { ...figures, gpuEnergyJ: null, gpuMeanPowerW: null, gpuEnergyMissing: 'GPU 0: no power reading for 12 s (more than 3 s)' };
    expect(manifestGpu(missing)).toMatchObject({ energy_j: null, energy_missing: 'GPU 0: no power reading for 12 s (more than 3 s)' });
    expect(gpuFromManifest(JSON.parse(JSON.stringify(manifestGpu(missing))))).toEqual(missing);
  });

  it('a hand-edited or foreign value reads as no figures, never a crash', () => {
    for (const bad of [undefined, null, 'x', 3, {}, { gpu_indices: 'all' }, { gpu_indices: [0.5] }]) expect(gpuFromManifest(bad)).toBeNull();
    expect(gpuFromManifest({ gpu_indices: [0], energy_j: 'lots', throttled: 'yes' })).toMatchObject({ gpuEnergyJ: null, gpuThrottled: null, samples: 0 });
  });

  it('a resumed campaign shows the figures of what already completed', () => {
    const p = plan(['pytorch_a'], 2);
    let manifest = createManifest(p, { campaignFileHash: 'x', now: new Date(0) });
    manifest = updateEntry(manifest, '0001', { status: 'completed', gpu: manifestGpu(figures) }, new Date(0));
    manifest = updateEntry(manifest, '0002', { status: 'failed', gpu: manifestGpu(figures) }, new Date(0));
    const views = experimentViews(p, manifest);
    expect(views.map((v) => v.gpu)).toEqual([figures, null]);
  });
});

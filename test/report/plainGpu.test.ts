import { describe, expect, it } from 'vitest';
import { energyDisagrees, type GpuFigures } from '../../source/domain/gpu.js';
import { createPlainReporter } from '../../source/report/plain.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action } from '../../source/state/types.js';
import { finished, metrics, planned, T0 } from '../state/fixtures.js';

const figures = (gpuEnergyJ: number | null): GpuFigures => ({
  gpuIndices: [0], gpuEnergyJ, gpuMeanPowerW: 304.2, gpuPeakPowerW: 350, gpuPeakMemoryMiB: 1, gpuMaxTemperatureC: 60, gpuThrottled: false, samples: 6,
});

function finishedLine(action: Action): string {
  const out: string[] = [];
  const report = createPlainReporter((line) => out.push(line));
  let state = initialCampaignState();
  for (const a of [planned(), action]) {
    state = campaignReducer(state, a);
    report(a, state);
  }
  return out.at(-1)!;
}

describe('plain lines with host-measured GPU energy', () => {
  it('a completed experiment says the host energy beside the harness energy', () => {
    const line = finishedLine({ ...(finished('0001', T0 + 5000, 3000, 'completed', metrics(1000, 50, 0.5)) as object), gpu: figures(1100) } as Action);
    expect(line).toMatch(/energy 1[.,]?0+ ?k?J .* · host GPU 1[.,]?1\d* ?k?J \(304(\.2)? W mean\)$/);
    expect(line).not.toContain('differs');
  });

  it('flags a disagreement of more than 25 %', () => {
    const line = finishedLine({ ...(finished('0001', T0 + 5000, 3000, 'completed', metrics(1000, 50, 0.5)) as object), gpu: figures(2000) } as Action);
    expect(line).toContain('differs from the harness by >25 %');
  });

  it('no figures, no host part: the line is as before', () => {
    expect(finishedLine(finished('0001', T0 + 5000, 3000, 'completed', metrics(1000, 50, 0.5)))).not.toContain('host GPU');
  });
});

describe('energyDisagrees', () => {
  it('compares relative to the host, null when either is missing', () => {
    expect(energyDisagrees(1000, 1250)).toBe(false); // |1000 − 1250| / 1250 = 20 %
    expect(energyDisagrees(1000, 1400)).toBe(true); // 400 / 1400 = 28.6 %
    expect(energyDisagrees(1300, 1000)).toBe(true); // 30 %
    expect(energyDisagrees(null, 1000)).toBeNull();
    expect(energyDisagrees(1000, null)).toBeNull();
    expect(energyDisagrees(1000, 0)).toBe(true);
    expect(energyDisagrees(0, 0)).toBe(false);
  });
});

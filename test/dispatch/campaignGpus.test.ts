// The GPU slots of a campaign, asked of the stand-in nvidia-smi as a real process.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignGpus, gpuSlotsLine } from '../../source/dispatch/campaignGpus.js';
import { ConfigError } from '../../source/config/errors.js';
import { EnvironmentError } from '../../source/domain/environmentError.js';
import { ROOT } from '../helpers/cli.js';
import { standInGpus } from '../helpers/gpus.js';

const SMI = [path.join(ROOT, 'fixtures/gpu/bin/nvidia-smi'), '-L'];
/** As settings.places has them with --gpus given and gpus_per_experiment in campaign.yaml (line 9). */
const places = {
  gpus: { source: 'flag', file: 'command line', path: '--gpus' },
  gpusPerExperiment: { source: 'campaign', file: 'campaign.yaml', line: 9, column: 24, path: 'runner.gpus_per_experiment' },
} as const;
/** runner.gpus in campaign.yaml (line 8). */
const inCampaign = { ...places, gpus: { source: 'campaign', file: 'campaign.yaml', line: 8, column: 9, path: 'runner.gpus' } } as const;

async function withGpus<T>(count: number, body: () => Promise<T>): Promise<T> {
  const saved = process.env.LEM_FAKE_GPU_STATE;
  process.env.LEM_FAKE_GPU_STATE = standInGpus(count).LEM_FAKE_GPU_STATE;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.LEM_FAKE_GPU_STATE;
    else process.env.LEM_FAKE_GPU_STATE = saved;
  }
}

describe('campaignGpus', () => {
  it('without --gpus: null, nvidia-smi not asked', async () => {
    expect(await campaignGpus({ gpus: null, gpusPerExperiment: 1, places }, ['/nonexistent/nvidia-smi', '-L'])).toBeNull();
  });

  it('slots of gpus_per_experiment, in the order given; a remainder too small for a slot is idle, with a note', async () => {
    const gpus = await withGpus(4, () => campaignGpus({ gpus: ['3', '0', '2'], gpusPerExperiment: 2, places }, SMI));
    expect(gpus!.slots.map((slot) => slot.map((g) => g.index))).toEqual([[3, 0]]);
    expect(gpus!.notes).toEqual(['--gpus: GPU 2 left idle (not enough for a slot of 2)']);
    expect(gpuSlotsLine(gpus!)).toMatch(/^--gpus: 1 experiment at once, one per GPU slot: 3,0 /);
  });

  it('more GPUs per experiment than listed: an error at the place of gpus_per_experiment that says both numbers', async () => {
    await expect(withGpus(4, () => campaignGpus({ gpus: ['0'], gpusPerExperiment: 2, places }, SMI))).rejects.toThrow(
      'campaign.yaml:9:24 runner.gpus_per_experiment: 2 GPUs per experiment, but --gpus gives 1 GPU (0)',
    );
    await expect(withGpus(4, () => campaignGpus({ gpus: ['0'], gpusPerExperiment: 2, places: inCampaign }, SMI))).rejects.toThrow(
      'campaign.yaml:9:24 runner.gpus_per_experiment: 2 GPUs per experiment, but campaign.yaml:8:9 runner.gpus gives 1 GPU (0)',
    );
  });

  it('a GPU the host lacks: --gpus is named as the flag, runner.gpus at its file:line:col', async () => {
    await expect(withGpus(2, () => campaignGpus({ gpus: ['0', '5'], gpusPerExperiment: 1, places }, SMI))).rejects.toThrow(
      EnvironmentError,
    );
    await expect(withGpus(2, () => campaignGpus({ gpus: ['0', '5'], gpusPerExperiment: 1, places }, SMI))).rejects.toThrow(
      '--gpus: no GPU 5 (nvidia-smi -L lists 0, 1)',
    );
    const inFile = withGpus(2, () => campaignGpus({ gpus: ['0', '5'], gpusPerExperiment: 1, places: inCampaign }, SMI));
    await expect(inFile).rejects.toThrow(ConfigError);
    await expect(withGpus(2, () => campaignGpus({ gpus: ['0', '5'], gpusPerExperiment: 1, places: inCampaign }, SMI))).rejects.toThrow(
      'campaign.yaml:8:9 runner.gpus: no GPU 5 (nvidia-smi -L lists 0, 1)',
    );
  });

  it('no nvidia-smi: ids as given, with a note that says so', async () => {
    const gpus = await campaignGpus({ gpus: ['0', '1'], gpusPerExperiment: 1, places }, ['/nonexistent/nvidia-smi', '-L']);
    expect(gpus!.slots).toHaveLength(2);
    expect(gpus!.notes[0]).toBe('--gpus: nvidia-smi is not found; the GPUs are passed on as given (0,1)');
  });
});

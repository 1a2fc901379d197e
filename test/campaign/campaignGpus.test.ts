// The GPU slots of a campaign, asked of the stand-in nvidia-smi as a real process.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignGpus, gpuSlotsLine } from '../../source/campaign/campaignGpus.js';
import { ROOT } from '../helpers/cli.js';
import { standInGpus } from '../helpers/gpus.js';

const SMI = [path.join(ROOT, 'fixtures/gpu/bin/nvidia-smi'), '-L'];

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
    expect(await campaignGpus({ gpus: null, gpusPerExperiment: 1 }, ['/nonexistent/nvidia-smi', '-L'])).toBeNull();
  });

  it('slots of gpus_per_experiment, in the order given; a remainder too small for a slot is idle, with a note', async () => {
    const gpus = await withGpus(4, () => campaignGpus({ gpus: ['3', '0', '2'], gpusPerExperiment: 2 }, SMI));
    expect(gpus!.slots.map((slot) => slot.map((g) => g.index))).toEqual([[3, 0]]);
    expect(gpus!.notes).toEqual(['--gpus: GPU 2 left idle (not enough for a slot of 2)']);
    expect(gpuSlotsLine(gpus!)).toMatch(/^--gpus: 1 experiment at once, one per GPU slot: 3,0 /);
  });

  it('more GPUs per experiment than listed: an environment error that says both numbers', async () => {
    await expect(withGpus(4, () => campaignGpus({ gpus: ['0'], gpusPerExperiment: 2 }, SMI))).rejects.toThrow(
      'runner.gpus_per_experiment is 2, but --gpus gives 1 GPU (0)',
    );
  });

  it('no nvidia-smi: ids as given, with a note that says so', async () => {
    const gpus = await campaignGpus({ gpus: ['0', '1'], gpusPerExperiment: 1 }, ['/nonexistent/nvidia-smi', '-L']);
    expect(gpus!.slots).toHaveLength(2);
    expect(gpus!.notes[0]).toBe('--gpus: nvidia-smi is not found; the GPUs are passed on as given (0,1)');
  });
});

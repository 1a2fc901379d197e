// The one set-up the run and the dry run share (dispatch/setUp.ts), on its
// Slurm arm, which asks no outside program in a dry run: the same refusal in
// both modes, and the same slots and settings. The other arms (nvidia-smi,
// the engine) are covered through the built CLI in test/cli/dry-run-refusals.test.ts.
import { describe, expect, it } from 'vitest';
import { setUpDispatch } from '../../source/dispatch/setUp.js';
import type { CliFlags } from '../../source/config/types.js';
import { engineSettings } from '../campaign/engineSettings.js';
import { plan } from '../campaign/planFixture.js';

const flags = (extra: Partial<CliFlags> = {}) => ({ yes: true, dryRun: false, validateOnly: false, tui: false, json: false, ...extra }) as CliFlags;
const slurmRunner = { require_result: false, dispatch: 'slurm', slurm: { max_jobs: 3 } };

describe('setUpDispatch', () => {
  it('--dispatch slurm with --gpus: the same refusal for the run and the dry run, before anything is asked', async () => {
    const settings = engineSettings('/tmp', { runner: slurmRunner }, { gpus: ['0'] });
    const refusals = await Promise.all(
      [false, true].map((forDryRun) => setUpDispatch({ plan: plan(['a']), settings }, flags({ gpus: ['0'] }), { forDryRun }).catch((e: Error) => e)),
    );
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(Error);
      expect((refusal as Error).message).toBe('--gpus (runner.gpus) does not apply to --dispatch slurm: Slurm gives each job its GPUs');
    }
  });

  it("Slurm: the job limit is the slots, host telemetry is off with a word, no GPU slots; checkpoints are called", async () => {
    const settings = engineSettings('/tmp', { runner: slurmRunner });
    let checks = 0;
    const setUp = await setUpDispatch({ plan: plan(['a', 'b']), settings }, flags(), { forDryRun: true, checkpoint: () => void (checks += 1) });
    expect(setUp.slots).toBe(3);
    expect(setUp.gpus).toBeNull();
    expect(setUp.settings.gpuTelemetry).toBe('off');
    expect(setUp.infos).toEqual(['GPU telemetry is off with Slurm dispatch: the GPUs are on the nodes, not on this host']);
    expect(setUp.dispatch.label).toMatch(/^slurm, the harness on the node/);
    expect(checks).toBe(2);
  });
});

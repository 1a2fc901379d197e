// What --dispatch slurm changes before the run: its job limit is the slots;
// what reads this host's GPUs is off, with a word; --gpus is an error.
import { describe, expect, it } from 'vitest';
import { onSlurm } from '../../source/dispatch/onSlurm.js';
import { ConfigError } from '../../source/config/errors.js';
import { EnvironmentError } from '../../source/domain/environmentError.js';
import { engineSettings } from '../campaign/engineSettings.js';

describe('onSlurm', () => {
  it('slots are max_jobs; telemetry and cool-down are off, each with a note', () => {
    const settings = engineSettings('/tmp', {
      runner: { require_result: false, dispatch: 'slurm', slurm: { max_jobs: 6 }, cool_down: { max_temperature_c: 50 } },
    });
    expect(settings.gpuTelemetry).toBe('auto');
    const run = onSlurm(settings);
    expect(run.slots).toBe(6);
    expect(run.settings).toMatchObject({ gpuTelemetry: 'off', coolDown: null });
    expect(run.notes).toEqual([
      'GPU telemetry is off with Slurm dispatch: the GPUs are on the nodes, not on this host',
      'runner.cool_down needs the GPUs on this host: with Slurm dispatch the gaps are fixed waits',
    ]);
  });

  it('--gpus is an environment error: Slurm gives each job its GPUs', () => {
    const settings = engineSettings('/tmp', { runner: { require_result: false, dispatch: 'slurm' } }, { gpus: ['0', '1'] });
    expect(() => onSlurm(settings)).toThrow(EnvironmentError);
    expect(() => onSlurm(settings)).toThrow('--gpus (runner.gpus) does not apply to --dispatch slurm');
  });

  it('runner.gpus in the campaign: the error names the setting where it is, not the flag', () => {
    const settings = engineSettings('/tmp', { runner: { require_result: false, dispatch: 'slurm', gpus: [0, 1] } });
    expect(() => onSlurm(settings)).toThrow(ConfigError);
    expect(() => onSlurm(settings)).toThrow(/^campaign\.yaml runner\.gpus: does not apply to --dispatch slurm/);
  });
});

// What changes when Slurm places the experiments: its job limit is the
// number of slots, its GPUs are on the nodes. What reads this host's GPUs
// (telemetry, cool-down by temperature, residual memory) cannot see them,
// so it is off, with a word; --gpus is Slurm's to decide (runner.slurm.gres).
import type { RunSettings } from '../config/types.js';
import { ConfigError } from '../config/errors.js';
import { settingIssue } from '../config/settingPlaces.js';
import { EnvironmentError } from '../domain/environmentError.js';

export interface SlurmRun {
  settings: RunSettings;
  slots: number;
  notes: string[];
}

export function onSlurm(settings: RunSettings): SlurmRun {
  if (settings.gpus !== null && settings.places.gpus.source !== 'flag') {
    const message = 'does not apply to --dispatch slurm: Slurm gives each job its GPUs; ask for them with runner.slurm.gres (default gpu:1)';
    throw new ConfigError([settingIssue(settings.places.gpus, message)]);
  }
  if (settings.gpus !== null) {
    throw new EnvironmentError(
      '--gpus (runner.gpus) does not apply to --dispatch slurm: Slurm gives each job its GPUs',
      'leave --gpus out, and ask for GPUs per job with runner.slurm.gres (default gpu:1)',
    );
  }
  const notes: string[] = [];
  if (settings.gpuTelemetry === 'auto') notes.push('GPU telemetry is off with Slurm dispatch: the GPUs are on the nodes, not on this host');
  if (settings.coolDown) notes.push('runner.cool_down needs the GPUs on this host: with Slurm dispatch the gaps are fixed waits');
  return {
    settings: { ...settings, gpuTelemetry: 'off', coolDown: null },
    slots: settings.slurm.maxJobs,
    notes,
  };
}

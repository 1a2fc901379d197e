// `runner:`, lem-tui's own optional section, the same in the campaign file and
// in .lem-config.yaml. Every field stays undefined when absent: they all take
// part in precedence, and their defaults live in settings.ts.
import type { z } from 'zod';
import { boolean, gpuSpec, integer, list, nonEmptyString, number, oneOf, section, slurmGres, slurmTimeLimit } from './fields.js';
import { CONTAINER_STRATEGIES, DISPATCH_MODES, GPU_TELEMETRY_MODES, SLURM_CONTAINERS, type RunnerSection } from './types.js';

export const runnerSchema = section({
  container_strategy: oneOf(CONTAINER_STRATEGIES).optional(),
  dispatch: oneOf(DISPATCH_MODES).optional(),
  compose_file: nonEmptyString().optional(),
  compose_command: nonEmptyString().optional(),
  lem_command: nonEmptyString().optional(),
  experiment_timeout_seconds: number(0).optional(),
  stuck_after_seconds: number(0).optional(),
  max_retries: integer(0, 10).optional(),
  stop_grace_seconds: number(0, 300).optional(),
  require_result: boolean().optional(),
  gpu_telemetry: oneOf(GPU_TELEMETRY_MODES).optional(),
  gpu_telemetry_interval_ms: integer(100, 60_000).optional(),
  residual_memory_mib: number(0).optional(),
  gpus: gpuSpec().optional(),
  gpus_per_experiment: integer(1, 64).optional(),
  cool_down: section({
    max_temperature_c: number(0, 150).optional(),
    idle_power_w: number(0).optional(),
    max_seconds: number(0, 24 * 3600).optional(),
  })
    // A cool-down with no target would wait for nothing: say so rather than ignore it.
    .refine((v) => v.max_temperature_c !== undefined || v.idle_power_w !== undefined, {
      message: 'expected max_temperature_c or idle_power_w (the target to cool down to)',
    })
    .optional(),
  // --dispatch slurm; defaults in config/slurmSettings.ts.
  slurm: section({
    partition: nonEmptyString().optional(),
    gres: slurmGres().optional(),
    max_jobs: integer(1, 1000).optional(),
    time_limit: slurmTimeLimit().optional(),
    sbatch_args: list(nonEmptyString(), 'arguments', { example: '[--account, proj1]' }).optional(),
    container: oneOf(SLURM_CONTAINERS).optional(),
  }).optional(),
}).prefault({});

// The schema's output must stay assignable to the shared type.
const _sameShape: RunnerSection = {} as z.output<typeof runnerSchema>;
void _sameShape;

// `.lem-config.yaml` in the current directory (LEM-FORMATS.md). Fields that
// take part in precedence (verbosity, gaps, strategy, compose command,
// results_dir, runner) stay undefined when absent; the rest get their documented defaults.
import type { z } from 'zod';
import { anyString, boolean, nonEmptyString, number, oneOf, section } from './fields.js';
import { runnerSchema } from './runnerSchema.js';
import { CONTAINER_STRATEGIES, VERBOSITIES, type UserConfig } from './types.js';

export const userConfigSchema = section({
  verbosity: oneOf(VERBOSITIES).optional(),
  thermal_gaps: section({
    between_experiments: number(0).optional(),
    between_cycles: number(0).optional(),
  }).prefault({}),
  docker: section({
    strategy: oneOf(CONTAINER_STRATEGIES).optional(),
    warmup_delay: number(0).default(0),
    auto_teardown: boolean().default(true),
    compose_command: nonEmptyString().optional(),
  }).prefault({}),
  notifications: section({
    // llenergymeasure takes any string here; one that is not http(s) is a warning (loadUserConfig.ts).
    webhook_url: anyString().nullable().default(null),
    on_complete: boolean().default(true),
    on_failure: boolean().default(true),
  }).prefault({}),
  results_dir: nonEmptyString().optional(),
  runner: runnerSchema,
});

const _sameShape: UserConfig = {} as z.output<typeof userConfigSchema>;
void _sameShape;

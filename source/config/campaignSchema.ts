// The campaign YAML (LEM-FORMATS.md, schema_version "3.0.0"). Fields that take
// part in settings precedence (cycles, structure, gaps, results_dir, runner)
// stay undefined when absent; the others get their documented defaults here.
// Rules across fields (an alias given twice, at least one experiment source)
// are checked on the raw data in campaignChecks.ts, so that they are reported
// together with every other problem.
import type { z } from 'zod';
import {
  anyMapping,
  backendName,
  boolean,
  clockTime,
  dayName,
  duration,
  fileName,
  integer,
  list,
  mappingOf,
  nonEmptyString,
  displayName,
  nonEmptyValues,
  number,
  oneOf,
  section,
  versionText,
} from './fields.js';
import { runnerSchema } from './runnerSchema.js';
import { BACKENDS, STRUCTURES, type Backend, type CampaignFile, type GridSpec } from './types.js';

const axesSchema = mappingOf(nonEmptyValues());

const gridSchema = section({
  backends: list(backendName(), 'backends', { nonEmpty: true }),
  models: list(nonEmptyString(), 'model names', { nonEmpty: true }).optional(),
  shared: axesSchema.optional(),
  /** Alias of `shared`: the published example campaign writes it (llenergymeasure drops it silently). */
  axes: axesSchema.optional(),
  backend_overrides: mappingOf(axesSchema, (name) =>
    BACKENDS.includes(name as Backend) ? undefined : `unknown backend "${name}": expected one of ${BACKENDS.join(', ')}`,
  ).optional(),
}).transform(
  (grid): GridSpec => ({
    backends: grid.backends,
    ...(grid.models ? { models: grid.models } : {}),
    shared: grid.shared ?? grid.axes ?? {},
    backend_overrides: (grid.backend_overrides ?? {}) as GridSpec['backend_overrides'],
  }),
);

const experimentSchema = section({
  config: nonEmptyString(),
  overrides: anyMapping().default({}),
});

export const campaignSchema = section({
  schema_version: versionText().optional(), // its major is checked in campaignChecks.ts
  campaign_name: displayName(),
  model: nonEmptyString().optional(),
  dataset: nonEmptyString().optional(),
  num_samples: integer(1).optional(),

  configs: list(nonEmptyString(), 'config file paths').default([]),
  experiments: list(experimentSchema, 'experiments ({config, overrides})').default([]),
  grid: gridSchema.optional(),

  execution: section({
    cycles: integer(1, 20).optional(),
    structure: oneOf(STRUCTURES).optional(),
    warmup_prompts: integer(0).default(5),
    warmup_timeout_seconds: number(0).default(30),
    config_gap_seconds: number(0).optional(),
    cycle_gap_seconds: number(0).optional(),
  }).prefault({}),

  health_check: section({
    enabled: boolean().default(true),
    interval_experiments: integer(0).default(0),
    gpu_memory_threshold_pct: number(50, 100).default(90),
    restart_on_failure: boolean().default(true),
    max_restarts: integer(0).default(3),
  }).prefault({}),

  cold_start: section({
    force_cold_start: boolean().default(false),
    restart_container: boolean().default(false),
  }).prefault({}),

  io: section({
    results_dir: nonEmptyString().optional(),
    configs_dir: nonEmptyString().default('configs'),
    state_dir: nonEmptyString().default('.state'),
    manifest_filename: fileName().default('campaign_manifest.json'),
  }).prefault({}),

  schedule: section({
    at: clockTime().optional(),
    days: list(dayName(), 'days', { nonEmpty: true }).optional(),
  }).optional(),

  daemon: section({
    enabled: boolean().default(false),
    at: clockTime().optional(),
    interval: duration().optional(),
    total_duration: duration().optional(),
    quiet: boolean().default(true),
  }).optional(),

  runner: runnerSchema,
});

// The schema's output must stay assignable to the shared type.
const _sameShape: CampaignFile = {} as z.output<typeof campaignSchema>;
void _sameShape;

// The command line: meow's flag table, the help text, and the conversion of
// raw flag values into CliFlags with clear errors for bad values.
import { parseGpuSpec, type GpuSpec } from './config/gpuList.js';
import { CONTAINER_STRATEGIES, DISPATCH_MODES, GPU_TELEMETRY_MODES, STRUCTURES, type CliFlags } from './config/types.js';

export const HELP = `
  Run an llenergymeasure campaign in Docker Compose services, live in the terminal.

  Usage
    $ lem-tui <campaign.yaml> [flags]

  Strategy and dispatch
    --container-strategy ephemeral|persistent
                          ephemeral (default): \`compose run --rm\` per experiment;
                          persistent: \`compose up -d\` once, \`compose exec\` per experiment
    --dispatch auto|docker|local|slurm
                          where experiments run (auto: Docker when an engine answers;
                          slurm: one Slurm job per experiment, see runner.slurm)
    --slurm-partition P   the Slurm partition (default: the cluster's default)
    --slurm-max-jobs N    Slurm jobs queued or running at once (1-1000, default 4)
    --compose-file FILE   compose file with one service per backend
    --compose-command CMD "docker compose", "docker-compose" or "podman compose"
    --lem-command CMD     the harness executable (default: lem)

  Campaign
    --cycles N            override execution.cycles (1-20)
    --structure interleaved|shuffled|grouped
    --seed N              seed of the shuffled order (default 42)
    --results-dir DIR     where results are written (default: results)
    --experiment-timeout S  kill an experiment after S seconds (0 = never)
    --stuck-after S       mark an experiment stuck after S s without output
    --gpu-telemetry auto|off  sample the GPUs with nvidia-smi (auto: when it answers)
    --gpus LIST           run one experiment per GPU at once: 0,1,3, UUIDs, or all
                          (default: one experiment at a time)

  Run
    --yes, -y             answer every confirmation (persistent mode, resume,
                          stopping what a killed earlier run left running)
    --resume / --no-resume  continue an interrupted campaign / start over
                          (the old manifest is moved aside, results are kept)
    --dry-run             print the ordered plan and the exact commands; start nothing
    --validate-only       check the campaign and its configs; start nothing
    --no-tui              plain line output even in a terminal
    --json                one JSON event per line on stdout (implies --no-tui)
    --help, --version

  Exit codes: 0 all completed, 1 some failed, 2 bad input or environment,
  130 interrupted (after cleanup).

  Example
    $ lem-tui campaign.yaml --container-strategy persistent --yes
`;

export const FLAG_TABLE = {
  containerStrategy: { type: 'string' },
  dispatch: { type: 'string' },
  composeFile: { type: 'string' },
  composeCommand: { type: 'string' },
  lemCommand: { type: 'string' },
  yes: { type: 'boolean', shortFlag: 'y', default: false },
  dryRun: { type: 'boolean', default: false },
  validateOnly: { type: 'boolean', default: false },
  resume: { type: 'boolean' },
  seed: { type: 'string' },
  cycles: { type: 'string' },
  structure: { type: 'string' },
  resultsDir: { type: 'string' },
  experimentTimeout: { type: 'string' },
  stuckAfter: { type: 'string' },
  gpuTelemetry: { type: 'string' },
  gpus: { type: 'string' },
  slurmPartition: { type: 'string' },
  slurmMaxJobs: { type: 'string' },
  tui: { type: 'boolean', default: true },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', shortFlag: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

export type RawFlags = {
  containerStrategy?: string;
  dispatch?: string;
  composeFile?: string;
  composeCommand?: string;
  lemCommand?: string;
  yes: boolean;
  dryRun: boolean;
  validateOnly: boolean;
  resume?: boolean;
  seed?: string;
  cycles?: string;
  structure?: string;
  resultsDir?: string;
  experimentTimeout?: string;
  stuckAfter?: string;
  gpuTelemetry?: string;
  gpus?: string;
  slurmPartition?: string;
  slurmMaxJobs?: string;
  tui: boolean;
  json: boolean;
};

/** Converts meow's raw values; returns the messages of every bad value. */
export function toCliFlags(raw: RawFlags): { flags: CliFlags; errors: string[] } {
  const errors: string[] = [];
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    errors.push(`--${name}: expected one of ${allowed.join(', ')}, got "${value}"`);
    return undefined;
  };
  const integer = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    // Decimal digits only: Number() would also take 1e3, 0x10, 4.0 and " 7 ".
    const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (n >= min && n <= max) return n;
    errors.push(`--${name}: expected an integer from ${min} to ${max}, got "${value}"`);
    return undefined;
  };
  const text = (name: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    if (value.trim() !== '') return value;
    errors.push(`--${name}: expected a non-empty value`);
    return undefined;
  };
  const gpus = (value: string | undefined): GpuSpec | undefined => {
    if (value === undefined) return undefined;
    const parsed = parseGpuSpec(value);
    if ('spec' in parsed) return parsed.spec;
    errors.push(`--gpus: ${parsed.error}`);
    return undefined;
  };
  const flags: CliFlags = {
    containerStrategy: oneOf('container-strategy', raw.containerStrategy, CONTAINER_STRATEGIES),
    dispatch: oneOf('dispatch', raw.dispatch, DISPATCH_MODES),
    composeFile: text('compose-file', raw.composeFile),
    composeCommand: text('compose-command', raw.composeCommand),
    lemCommand: text('lem-command', raw.lemCommand),
    yes: raw.yes,
    dryRun: raw.dryRun,
    validateOnly: raw.validateOnly,
    resume: raw.resume,
    seed: integer('seed', raw.seed, 0, 2 ** 32 - 1),
    cycles: integer('cycles', raw.cycles, 1, 20),
    structure: oneOf('structure', raw.structure, STRUCTURES),
    gpuTelemetry: oneOf('gpu-telemetry', raw.gpuTelemetry, GPU_TELEMETRY_MODES),
    resultsDir: text('results-dir', raw.resultsDir),
    gpus: gpus(raw.gpus),
    slurmPartition: text('slurm-partition', raw.slurmPartition),
    slurmMaxJobs: integer('slurm-max-jobs', raw.slurmMaxJobs, 1, 1000),
    tui: raw.tui && !raw.json,
    json: raw.json,
    experimentTimeout: integer('experiment-timeout', raw.experimentTimeout, 0, 7 * 24 * 3600),
    stuckAfter: integer('stuck-after', raw.stuckAfter, 0, 24 * 3600),
  };
  if (raw.dryRun && raw.validateOnly) errors.push('--dry-run and --validate-only: choose one');
  return { flags, errors };
}

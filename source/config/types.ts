// Shapes of the files lem-tui reads, after validation. Field names keep the
// YAML's snake_case so that an error path (`execution.cycles`) is the path a
// user sees in their file. Fields that take part in settings precedence
// (CLI > campaign > user config > default) stay `undefined` when absent; the
// defaults live in one place, config/settings.ts.
import type { ComposeFileOrigin } from './composeFileSearch.js';
import type { GpuSpec } from './gpuList.js';
import type { SettingPlaces } from './settingPlaces.js';

export const BACKENDS = ['pytorch', 'vllm', 'tensorrt'] as const;
export type Backend = (typeof BACKENDS)[number];

export const STRUCTURES = ['interleaved', 'shuffled', 'grouped'] as const;
export type Structure = (typeof STRUCTURES)[number];

export const CONTAINER_STRATEGIES = ['ephemeral', 'persistent'] as const;
export type ContainerStrategy = (typeof CONTAINER_STRATEGIES)[number];

export const DISPATCH_MODES = ['auto', 'docker', 'local', 'slurm'] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];

/** llenergymeasure's `verbosity` values (its UserConfig), passed on as LLM_ENERGY_VERBOSITY. */
export const VERBOSITIES = ['quiet', 'normal', 'verbose'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

/** lem-tui's own optional section, accepted in both the campaign file and .lem-config.yaml. */
export const GPU_TELEMETRY_MODES = ['auto', 'off'] as const;
export type GpuTelemetryMode = (typeof GPU_TELEMETRY_MODES)[number];

export interface RunnerSection {
  container_strategy?: ContainerStrategy;
  dispatch?: DispatchMode;
  compose_file?: string; // relative to the file that names it
  compose_command?: string; // e.g. "docker compose", "docker-compose", "podman compose"
  lem_command?: string; // harness executable (argv split on whitespace), default "lem"
  experiment_timeout_seconds?: number; // >= 0, 0 = no timeout
  stuck_after_seconds?: number; // >= 0, no output for this long = stuck, 0 = never
  max_retries?: number; // 0..10, retries of a retryable failure (137/143/timeout)
  stop_grace_seconds?: number; // 0..300, SIGTERM grace before kill
  require_result?: boolean; // default true: exit 0 without a result file is a failure
  gpu_telemetry?: GpuTelemetryMode; // auto (default): sample with nvidia-smi when it answers; off
  gpu_telemetry_interval_ms?: number; // 100..60000, default 500
  residual_memory_mib?: number; // >= 0, default 1024: warn before an experiment whose GPUs hold more
  gpus?: GpuSpec; // `all` or GPU ids: one experiment per GPU slot at once; absent: one at a time
  gpus_per_experiment?: number; // 1..64, default 1: GPUs a slot holds (tensor parallel)
  /** Opt-in: gaps wait for the GPUs to cool instead of a fixed sleep (needs GPU telemetry). */
  cool_down?: { max_temperature_c?: number; idle_power_w?: number; max_seconds?: number };
  /** --dispatch slurm: how each experiment is submitted; every field takes part in precedence on its own. */
  slurm?: SlurmSection;
}

/** `runner.slurm` as written (config/runnerSchema.ts); resolved into SlurmSettings by config/slurmSettings.ts. */
export interface SlurmSection {
  partition?: string;
  gres?: string; // gpu:1, gpu:a100:2, gpu:1,shard:2; `none` or null: '' (no --gres)
  max_jobs?: number; // 1..1000
  time_limit?: string; // Slurm's time formats; a YAML integer is read as minutes ("30")
  sbatch_args?: string[];
  container?: SlurmContainer;
}

export interface GridSpec {
  backends: Backend[];
  models?: string[];
  /** `shared`, or its alias `axes` (our choice; llenergymeasure drops `axes`). */
  shared: Record<string, unknown[]>;
  backend_overrides: Partial<Record<Backend, Record<string, unknown[]>>>;
}

export interface CampaignFile {
  schema_version?: string;
  campaign_name: string;
  model?: string;
  dataset?: string;
  num_samples?: number;
  configs: string[];
  experiments: { config: string; overrides: Record<string, unknown> }[];
  grid?: GridSpec;
  execution: {
    cycles?: number; // 1..20, default 3
    structure?: Structure; // default interleaved
    warmup_prompts: number; // >= 0, default 5
    warmup_timeout_seconds: number; // >= 0, default 30
    config_gap_seconds?: number; // >= 0, default 60 (precedence with thermal_gaps)
    cycle_gap_seconds?: number; // >= 0, default 300
  };
  health_check: {
    enabled: boolean; // default true
    interval_experiments: number; // >= 0, default 0
    gpu_memory_threshold_pct: number; // 50..100, default 90
    restart_on_failure: boolean; // default true
    max_restarts: number; // >= 0, default 3
  };
  cold_start: { force_cold_start: boolean; restart_container: boolean };
  io: {
    results_dir?: string; // default "results" (precedence with user config results_dir)
    configs_dir: string; // default "configs"
    state_dir: string; // default ".state"
    manifest_filename: string; // default "campaign_manifest.json"
  };
  schedule?: { at?: string; days?: string[] };
  daemon?: { enabled: boolean; at?: string; interval?: string; total_duration?: string; quiet: boolean };
  runner: RunnerSection;
}

export interface UserConfig {
  verbosity?: Verbosity; // default for LLM_ENERGY_VERBOSITY (the caller's env wins)
  thermal_gaps: { between_experiments?: number; between_cycles?: number };
  docker: {
    strategy?: ContainerStrategy;
    warmup_delay: number; // >= 0, default 0
    auto_teardown: boolean; // default true
    compose_command?: string;
  };
  /** webhook_url: any string, as llenergymeasure takes it; loadUserConfig turns one that is not http(s) into null. */
  notifications: { webhook_url: string | null; on_complete: boolean; on_failure: boolean };
  results_dir?: string;
  runner: RunnerSection;
}

/** A loaded experiment config file: everything passes through untouched. */
export interface ExperimentConfigFile {
  path: string; // absolute path as resolved
  /** How the path was found: next to the campaign file (as llenergymeasure does) or relative to the cwd. */
  resolvedFrom: 'campaign-dir' | 'cwd' | 'absolute';
  /** The path as written in the campaign (`configs[i]` or `experiments[i].config`); set by loadCampaign. */
  ref?: string;
  data: Record<string, unknown>;
  backend: Backend; // `backend`, default pytorch
  configName: string; // `config_name`, else the file's stem
}

/** Where a resolved setting came from (shown in --dry-run and the header). */
export type SettingSource = 'flag' | 'campaign' | 'user-config' | 'default';

/** The CLI's parsed flags; undefined = not given. */
export interface CliFlags {
  containerStrategy?: ContainerStrategy;
  dispatch?: DispatchMode;
  composeFile?: string;
  composeCommand?: string;
  lemCommand?: string;
  yes: boolean;
  dryRun: boolean;
  validateOnly: boolean;
  resume?: boolean; // --resume / --no-resume
  seed?: number;
  cycles?: number;
  structure?: Structure;
  resultsDir?: string;
  tui: boolean; // false with --no-tui
  json: boolean;
  experimentTimeout?: number; // seconds
  stuckAfter?: number; // seconds
  gpuTelemetry?: GpuTelemetryMode;
  gpus?: GpuSpec;
  slurmPartition?: string;
  slurmMaxJobs?: number; // 1..1000
}

/**
 * Everything a run needs, resolved once with the precedence
 * CLI flag > campaign YAML > .lem-config.yaml > default (config/settings.ts).
 * Paths are absolute.
 */
export interface RunSettings {
  campaignPath: string;
  campaignDir: string;
  containerStrategy: ContainerStrategy;
  containerStrategySource: SettingSource;
  dispatch: DispatchMode;
  /** Absolute, passed as -f in order; empty when none was named or found. */
  composeFiles: string[];
  composeFileOrigin: ComposeFileOrigin;
  /** Why these files: "from --compose-file", "found in the current directory, as docker compose finds it". */
  composeFileReason: string;
  /** Explicit compose command argv, or null to detect. */
  composeCommand: string[] | null;
  lemCommand: string[];
  cycles: number;
  structure: Structure;
  seed: number;
  configGapSeconds: number;
  cycleGapSeconds: number;
  warmupDelaySeconds: number;
  autoTeardown: boolean;
  resultsDir: string;
  /** The user named a results dir (campaign, user config or flag): pass --results-dir to lem. */
  resultsDirGiven: boolean;
  configsDir: string;
  stateDir: string;
  manifestPath: string;
  experimentTimeoutSeconds: number; // 0 = none
  stuckAfterSeconds: number; // 0 = never
  maxRetries: number;
  stopGraceSeconds: number;
  /** An experiment that exits 0 but leaves no result file has failed (runner.require_result, default true). */
  requireResult: boolean;
  healthCheck: CampaignFile['health_check'];
  coldStart: boolean;
  dataset: string | null;
  numSamples: number | null;
  verbosity: string; // LLM_ENERGY_VERBOSITY, default "normal"
  webhookUrl: string | null;
  notifyOnComplete: boolean;
  notifyOnFailure: boolean;
  gpuTelemetry: GpuTelemetryMode;
  gpuTelemetryIntervalMs: number;
  /** Warn (and in persistent mode restart) when an experiment's GPUs hold more than this before it starts. */
  residualMemoryMiB: number;
  /** runner.cool_down; null: gaps are fixed sleeps. maxSeconds null: the configured gap. */
  coolDown: { maxTemperatureC: number | null; idlePowerW: number | null; maxSeconds: number | null } | null;
  /** --gpus / runner.gpus: the GPUs to run on, one experiment per slot at once; null: one at a time. */
  gpus: GpuSpec | null;
  /** runner.gpus_per_experiment (default 1): GPUs each slot holds. */
  gpusPerExperiment: number;
  /** runner.slurm with --slurm-* flags: how --dispatch slurm submits each experiment. */
  slurm: SlurmSettings;
  /** Where the settings checked only later (GPUs, the Slurm request) were given: messages name the flag or file:line:col. */
  places: SettingPlaces;
}

export const SLURM_CONTAINERS = ['none', 'compose'] as const;
export type SlurmContainer = (typeof SLURM_CONTAINERS)[number];

/** runner.slurm resolved (flag > campaign > .lem-config.yaml > default); used only by --dispatch slurm. */
export interface SlurmSettings {
  /** --partition; null: the cluster's default partition. */
  partition: string | null;
  /** --gres, default "gpu:1"; '' (runner.slurm.gres: none or null): no --gres at all. */
  gres: string;
  /** Jobs of the campaign queued or running at once (default 4). */
  maxJobs: number;
  /** --time as Slurm takes it ("30", "1:00:00", "1-00:00:00"); null: the partition's limit. */
  timeLimit: string | null;
  /** Extra srun arguments, as given (argv list). */
  sbatchArgs: string[];
  /** none: the harness on the node; compose: `docker compose run --rm` on the node. */
  container: SlurmContainer;
}

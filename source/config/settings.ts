// The one place that decides every run setting, with the precedence
// CLI flag > campaign YAML > .lem-config.yaml > default.
// Pure: no I/O (the caller passes fileExists); paths become absolute here.
//
// Where a relative path is resolved: the campaign's own paths (io.results_dir,
// io.configs_dir, runner.compose_file) against the campaign file's folder;
// io.state_dir, flags and .lem-config.yaml (which lives in the cwd) against
// the cwd, as llenergymeasure has them. With Docker the configs and results
// dirs are in the end what the services bind-mount (compose/hostDirs.ts).
// With no compose-file setting, the file is found as compose finds it
// (composeFileSearch.ts).
import path from 'node:path';
import { ConfigError, describeFlag, showPath, type ConfigIssue } from './errors.js';
import { describeValue } from './fields.js';
import { searchComposeFiles, type ComposeFileChoice } from './composeFileSearch.js';
import { resolveSlurmSettings } from './slurmSettings.js';
import { settingPlaces, type SettingFiles } from './settingPlaces.js';
import {
  CONTAINER_STRATEGIES,
  DISPATCH_MODES,
  GPU_TELEMETRY_MODES,
  STRUCTURES,
  type CampaignFile,
  type CliFlags,
  type RunSettings,
  type SettingSource,
  type UserConfig,
} from './types.js';

export const DEFAULTS = {
  containerStrategy: 'ephemeral',
  dispatch: 'auto',
  lemCommand: 'lem',
  cycles: 3,
  structure: 'interleaved',
  /** Seed of the shuffled order when --seed is not given: fixed, so a campaign reruns in the same order. */
  seed: 42,
  configGapSeconds: 60,
  cycleGapSeconds: 300,
  resultsDir: 'results',
  experimentTimeoutSeconds: 0,
  stuckAfterSeconds: 300,
  maxRetries: 1,
  stopGraceSeconds: 10,
  requireResult: true,
  verbosity: 'normal',
  gpuTelemetry: 'auto',
  gpuTelemetryIntervalMs: 500,
  residualMemoryMiB: 1024,
} as const;

export interface ResolveSettingsInput {
  flags: CliFlags;
  campaign: CampaignFile;
  campaignPath: string;
  userConfig: UserConfig;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether a file exists (the compose-file search asks); the caller does the I/O. */
  fileExists: (file: string) => boolean;
  /** How to find a field in the files read (for settings.places); without it, places name the file only. */
  files?: SettingFiles;
}

const COMPOSE_SETTING_WORDS = {
  flag: '--compose-file',
  campaign: 'runner.compose_file in the campaign',
  'user-config': 'runner.compose_file in .lem-config.yaml',
} as const;

/** A compose file named by a setting, else the one docker compose itself would find. */
function composeFileChoice(input: ResolveSettingsInput, campaignDir: string): ComposeFileChoice {
  const { flags, campaign, userConfig, cwd } = input;
  const named = pick<string | undefined>(
    [
      ['flag', flags.composeFile && path.resolve(cwd, flags.composeFile)],
      ['campaign', campaign.runner.compose_file && path.resolve(campaignDir, campaign.runner.compose_file)],
      ['user-config', userConfig.runner.compose_file && path.resolve(cwd, userConfig.runner.compose_file)],
    ],
    undefined,
  );
  if (named.value !== undefined && named.source !== 'default') {
    return { files: [named.value], origin: named.source, reason: `from ${COMPOSE_SETTING_WORDS[named.source]}` };
  }
  return searchComposeFiles({ cwd, campaignDir, env: input.env, exists: input.fileExists });
}

/** The first value given, with the level it came from. */
function pick<T>(levels: [SettingSource, T | undefined][], fallback: T): { value: T; source: SettingSource } {
  for (const [source, value] of levels) if (value !== undefined) return { value, source };
  return { value: fallback, source: 'default' };
}

export function resolveSettings(input: ResolveSettingsInput): RunSettings {
  const { flags, campaign, userConfig: user, cwd, env } = input;
  validateFlags(flags);
  const campaignPath = path.resolve(cwd, input.campaignPath);
  const campaignDir = path.dirname(campaignPath);
  return {
    campaignPath,
    campaignDir,
    ...containerSettings(input, campaignDir),
    ...scheduleSettings(input),
    warmupDelaySeconds: user.docker.warmup_delay,
    autoTeardown: user.docker.auto_teardown,
    ...folderSettings(input, campaignDir),
    ...experimentLimits(input),
    healthCheck: campaign.health_check,
    coldStart: campaign.cold_start.force_cold_start || campaign.cold_start.restart_container,
    dataset: campaign.dataset ?? null,
    numSamples: campaign.num_samples ?? null,
    // The caller's LLM_ENERGY_VERBOSITY is this setting's "flag": it wins over .lem-config.yaml's verbosity.
    verbosity: env.LLM_ENERGY_VERBOSITY || user.verbosity || DEFAULTS.verbosity,
    webhookUrl: user.notifications.webhook_url,
    notifyOnComplete: user.notifications.on_complete,
    notifyOnFailure: user.notifications.on_failure,
    gpuTelemetry: flags.gpuTelemetry ?? campaign.runner.gpu_telemetry ?? user.runner.gpu_telemetry ?? DEFAULTS.gpuTelemetry,
    gpuTelemetryIntervalMs:
      campaign.runner.gpu_telemetry_interval_ms ?? user.runner.gpu_telemetry_interval_ms ?? DEFAULTS.gpuTelemetryIntervalMs,
    residualMemoryMiB: campaign.runner.residual_memory_mib ?? user.runner.residual_memory_mib ?? DEFAULTS.residualMemoryMiB,
    coolDown: coolDownSetting(campaign.runner.cool_down ?? user.runner.cool_down),
    gpus: flags.gpus ?? campaign.runner.gpus ?? user.runner.gpus ?? null,
    gpusPerExperiment: campaign.runner.gpus_per_experiment ?? user.runner.gpus_per_experiment ?? 1,
    slurm: resolveSlurmSettings(flags, campaign.runner, user.runner),
    places: settingPlaces({ flags, campaign, userConfig: user, campaignDisplayPath: showPath(campaignPath, cwd), files: input.files }),
  };
}

/** A cool_down without a temperature or power target waits for nothing: off. */
function coolDownSetting(given: CampaignFile['runner']['cool_down']): RunSettings['coolDown'] {
  if (!given || (given.max_temperature_c === undefined && given.idle_power_w === undefined)) return null;
  return { maxTemperatureC: given.max_temperature_c ?? null, idlePowerW: given.idle_power_w ?? null, maxSeconds: given.max_seconds ?? null };
}

/** A command setting as the argv it names. */
function words(command: string): string[] {
  return command.trim().split(/\s+/);
}

/** How experiments reach a container: the strategy, dispatch, compose file and command, and the harness command. */
function containerSettings(
  input: ResolveSettingsInput,
  campaignDir: string,
): Pick<
  RunSettings,
  | 'containerStrategy'
  | 'containerStrategySource'
  | 'dispatch'
  | 'composeFiles'
  | 'composeFileOrigin'
  | 'composeFileReason'
  | 'composeCommand'
  | 'lemCommand'
> {
  const { flags, campaign, userConfig: user } = input;
  const runner = campaign.runner;
  const strategy = pick(
    [
      ['flag', flags.containerStrategy],
      ['campaign', runner.container_strategy],
      ['user-config', user.docker.strategy ?? user.runner.container_strategy],
    ],
    DEFAULTS.containerStrategy,
  );
  const composeFile = composeFileChoice(input, campaignDir);
  const composeCommand = pick<string | null>(
    [
      ['flag', flags.composeCommand],
      ['campaign', runner.compose_command],
      ['user-config', user.docker.compose_command ?? user.runner.compose_command],
    ],
    null,
  ).value;
  return {
    containerStrategy: strategy.value,
    containerStrategySource: strategy.source,
    dispatch: flags.dispatch ?? runner.dispatch ?? user.runner.dispatch ?? DEFAULTS.dispatch,
    composeFiles: composeFile.files,
    composeFileOrigin: composeFile.origin,
    composeFileReason: composeFile.reason,
    composeCommand: composeCommand === null ? null : words(composeCommand),
    lemCommand: words(flags.lemCommand ?? runner.lem_command ?? user.runner.lem_command ?? DEFAULTS.lemCommand),
  };
}

/** The order experiments run in and the thermal gaps between them. */
function scheduleSettings(
  input: ResolveSettingsInput,
): Pick<RunSettings, 'cycles' | 'structure' | 'seed' | 'configGapSeconds' | 'cycleGapSeconds'> {
  const { flags, campaign, userConfig: user } = input;
  return {
    cycles: flags.cycles ?? campaign.execution.cycles ?? DEFAULTS.cycles,
    structure: flags.structure ?? campaign.execution.structure ?? DEFAULTS.structure,
    seed: flags.seed ?? DEFAULTS.seed,
    configGapSeconds:
      campaign.execution.config_gap_seconds ?? user.thermal_gaps.between_experiments ?? DEFAULTS.configGapSeconds,
    cycleGapSeconds: campaign.execution.cycle_gap_seconds ?? user.thermal_gaps.between_cycles ?? DEFAULTS.cycleGapSeconds,
  };
}

/** Where results, configs and the manifest live, each resolved against the folder its setting is relative to. */
function folderSettings(
  input: ResolveSettingsInput,
  campaignDir: string,
): Pick<RunSettings, 'resultsDir' | 'resultsDirGiven' | 'configsDir' | 'stateDir' | 'manifestPath'> {
  const { flags, campaign, userConfig: user, cwd } = input;
  const fromCampaign = (p: string | undefined) => (p === undefined ? undefined : path.resolve(campaignDir, p));
  const fromCwd = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const resultsDir = pick(
    [
      ['flag', fromCwd(flags.resultsDir)],
      ['campaign', fromCampaign(campaign.io.results_dir)],
      ['user-config', fromCwd(user.results_dir)],
    ],
    path.join(campaignDir, DEFAULTS.resultsDir),
  );
  // As llenergymeasure has it: the manifest lives under the current directory.
  const stateDir = path.resolve(cwd, campaign.io.state_dir);
  return {
    resultsDir: resultsDir.value,
    resultsDirGiven: resultsDir.source !== 'default',
    configsDir: path.resolve(campaignDir, campaign.io.configs_dir),
    stateDir,
    manifestPath: path.join(stateDir, campaign.io.manifest_filename),
  };
}

/** When an experiment times out or counts as stuck, how often it is retried, how long it gets to stop, and whether it must leave a result. */
function experimentLimits(
  input: ResolveSettingsInput,
): Pick<RunSettings, 'experimentTimeoutSeconds' | 'stuckAfterSeconds' | 'maxRetries' | 'stopGraceSeconds' | 'requireResult'> {
  const { flags, userConfig: user } = input;
  const runner = input.campaign.runner;
  return {
    experimentTimeoutSeconds:
      flags.experimentTimeout ??
      runner.experiment_timeout_seconds ??
      user.runner.experiment_timeout_seconds ??
      DEFAULTS.experimentTimeoutSeconds,
    stuckAfterSeconds:
      flags.stuckAfter ?? runner.stuck_after_seconds ?? user.runner.stuck_after_seconds ?? DEFAULTS.stuckAfterSeconds,
    maxRetries: runner.max_retries ?? user.runner.max_retries ?? DEFAULTS.maxRetries,
    stopGraceSeconds: runner.stop_grace_seconds ?? user.runner.stop_grace_seconds ?? DEFAULTS.stopGraceSeconds,
    requireResult: runner.require_result ?? user.runner.require_result ?? DEFAULTS.requireResult,
  };
}

/**
 * Flags usually come through cliFlags.ts, which already checks them; this
 * guards the settings against any other caller, with the same messages.
 */
export function validateFlags(flags: CliFlags): void {
  const issues: ConfigIssue[] = [];
  const problem = (flag: string, message: string) => issues.push({ file: 'command line', path: describeFlag(flag), message });
  const integer = (flag: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max))
      problem(flag, `expected an integer from ${min} to ${max}, got ${describeValue(value)}`);
  };
  const oneOf = (flag: string, value: string | undefined, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value))
      problem(flag, `expected one of ${allowed.join(', ')}, got ${describeValue(value)}`);
  };
  const text = (flag: string, value: string | undefined) => {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      problem(flag, `expected a non-empty value, got ${describeValue(value)}`);
  };
  oneOf('containerStrategy', flags.containerStrategy, CONTAINER_STRATEGIES);
  oneOf('dispatch', flags.dispatch, DISPATCH_MODES);
  oneOf('structure', flags.structure, STRUCTURES);
  oneOf('gpuTelemetry', flags.gpuTelemetry, GPU_TELEMETRY_MODES);
  text('composeFile', flags.composeFile);
  text('composeCommand', flags.composeCommand);
  text('lemCommand', flags.lemCommand);
  text('resultsDir', flags.resultsDir);
  text('slurmPartition', flags.slurmPartition);
  integer('cycles', flags.cycles, 1, 20);
  integer('seed', flags.seed, 0, 2 ** 32 - 1);
  integer('experimentTimeout', flags.experimentTimeout, 0, 7 * 24 * 3600);
  integer('stuckAfter', flags.stuckAfter, 0, 24 * 3600);
  integer('slurmMaxJobs', flags.slurmMaxJobs, 1, 1000);
  if (issues.length > 0) throw new ConfigError(issues);
}

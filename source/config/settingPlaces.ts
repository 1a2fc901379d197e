// Where a setting was given: the flag, or the place in the campaign file or
// .lem-config.yaml (file:line:col), with the precedence every setting has
// (flag > campaign > .lem-config.yaml > default). Kept with the settings so
// that a value found wrong later (a GPU the host lacks, a Slurm request the
// cluster refuses) is reported where the user wrote it, like a schema error.
// Pure: the loaders hand in how to find a field in each file.
import type { ConfigIssue, IssuePlace } from './errors.js';
import type { CampaignFile, CliFlags, RunnerSection, SettingSource, UserConfig } from './types.js';

/** Where a field of one YAML file is (YamlFile.issueAt without the message). */
export type Locator = (fieldPath: readonly (string | number)[]) => IssuePlace;

export interface SettingFiles {
  campaign: Locator;
  /** null: there is no .lem-config.yaml. */
  userConfig: Locator | null;
}

/** Where one setting came from, as messages name it. */
export interface SettingPlace extends IssuePlace {
  source: SettingSource;
}

export interface SettingPlaces {
  gpus: SettingPlace;
  gpusPerExperiment: SettingPlace;
  slurmPartition: SettingPlace;
  slurmGres: SettingPlace;
  slurmTimeLimit: SettingPlace;
  slurmSbatchArgs: SettingPlace;
}

interface PlacesInput {
  flags: CliFlags;
  campaign: CampaignFile;
  userConfig: UserConfig;
  /** As shown to the user, for a file without a locator. */
  campaignDisplayPath: string;
  files?: SettingFiles;
}

/** The user config's name (loadUserConfig reads it from the cwd): its place when no locator is given. */
const USER_CONFIG_NAME = '.lem-config.yaml';

export function settingPlaces(input: PlacesInput): SettingPlaces {
  const { flags, campaign, userConfig: user } = input;
  const slurm = (r: RunnerSection) => r.slurm ?? {};
  const place = (flag: { name: string; value: unknown } | null, field: string[], value: (r: RunnerSection) => unknown): SettingPlace => {
    if (flag && flag.value !== undefined) return { source: 'flag', file: 'command line', path: flag.name };
    const path = ['runner', ...field];
    if (value(campaign.runner) !== undefined) return located(input, 'campaign', path);
    if (value(user.runner) !== undefined) return located(input, 'user-config', path);
    return { source: 'default', file: 'default', path: path.join('.') };
  };
  return {
    gpus: place({ name: '--gpus', value: flags.gpus }, ['gpus'], (r) => r.gpus),
    gpusPerExperiment: place(null, ['gpus_per_experiment'], (r) => r.gpus_per_experiment),
    slurmPartition: place({ name: '--slurm-partition', value: flags.slurmPartition }, ['slurm', 'partition'], (r) => slurm(r).partition),
    slurmGres: place(null, ['slurm', 'gres'], (r) => slurm(r).gres),
    slurmTimeLimit: place(null, ['slurm', 'time_limit'], (r) => slurm(r).time_limit),
    slurmSbatchArgs: place(null, ['slurm', 'sbatch_args'], (r) => slurm(r).sbatch_args),
  };
}

function located(input: PlacesInput, source: 'campaign' | 'user-config', path: string[]): SettingPlace {
  const locate = source === 'campaign' ? input.files?.campaign : input.files?.userConfig;
  const fallback = { file: source === 'campaign' ? input.campaignDisplayPath : USER_CONFIG_NAME, path: path.join('.') };
  return { source, ...(locate ? locate(path) : fallback), path: path.join('.') };
}

/** `--gpus`, `campaign.yaml:13:9 runner.gpus`, `runner.slurm.gres (default)`: the setting in a sentence. */
export function settingLabel(place: SettingPlace): string {
  if (place.source === 'flag') return place.path!;
  if (place.source === 'default') return `${place.path} (default)`;
  const at = place.line === undefined ? place.file : `${place.file}:${place.line}${place.column === undefined ? '' : `:${place.column}`}`;
  return `${at} ${place.path}`;
}

/** An issue at the setting's place: `campaign.yaml:13:9 runner.gpus: …`, `command line --gpus: …`, `runner.slurm.gres (default): …`. */
export function settingIssue(place: SettingPlace, message: string): ConfigIssue {
  if (place.source === 'default') return { file: settingLabel(place), message };
  const { source: _source, ...at } = place;
  return { ...at, message };
}

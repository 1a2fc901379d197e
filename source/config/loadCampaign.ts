// Loads a campaign file and every experiment config it names, and reports all
// of their problems together (one ConfigError), each at file:line:col.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { campaignSchema } from './campaignSchema.js';
import { checkCampaignRules } from './campaignChecks.js';
import { checkSchema } from './checkSchema.js';
import { ConfigError, formatFieldPath, formatIssue, showPath, sortIssues, type ConfigIssue } from './errors.js';
import { loadExperimentConfig, resolveConfigPath } from './experimentConfig.js';
import { isPlainMapping } from './fields.js';
import type { CampaignFile, ExperimentConfigFile } from './types.js';
import { locatorOf, readYamlFile } from './yamlFile.js';
import type { Locator } from './settingPlaces.js';

export interface LoadedCampaign {
  campaign: CampaignFile;
  /** Every distinct file named in configs / experiments, in order of first mention (match on `ref`). */
  configFiles: ExperimentConfigFile[];
  /** Formatted like errors: `campaign.yaml:4:3 execution.cycle: unknown key, ignored`. */
  warnings: string[];
  /** MD5 (hex) of the campaign file's bytes: the manifest's config_hash. */
  fileHash: string;
  /** Absolute path of the campaign file. */
  path: string;
  displayPath: string;
  /** Where a field is in the campaign file (for settings checked later). */
  locate: Locator;
}

export async function loadCampaign(campaignPath: string, options: { cwd: string }): Promise<LoadedCampaign> {
  const { cwd } = options;
  const file = await readYamlFile(campaignPath, { cwd });
  if (!Object.hasOwn(file.value, 'campaign_name')) {
    const hint = Object.hasOwn(file.value, 'backend') || Object.hasOwn(file.value, 'model_name')
      ? ' (this looks like an experiment config; name it in a campaign\'s configs)'
      : '';
    throw new ConfigError([file.issueAt([], `not a campaign: a campaign file has campaign_name at the top level${hint}`)]);
  }

  const schema = checkSchema(campaignSchema, file);
  const rules = checkCampaignRules(file);
  const errors: ConfigIssue[] = sortIssues([...schema.errors, ...rules.errors]);
  const warnings: ConfigIssue[] = [...file.warnings, ...sortIssues([...schema.warnings, ...rules.warnings])];

  const configFiles: ExperimentConfigFile[] = [];
  const campaignDir = path.dirname(file.absPath);
  const loaded = new Set<string>();
  for (const { ref, at } of configRefs(file.value)) {
    const resolved = await resolveConfigPath(ref, campaignDir, cwd);
    if (!resolved) {
      const tried = [...new Set([path.resolve(campaignDir, ref), path.resolve(cwd, ref)])].map((p) => showPath(p, cwd));
      const places = tried.length === 1 && tried[0] === ref ? '' : ` (looked for ${tried.join(' and ')})`;
      errors.push(file.issueAt(at, `config file not found: ${ref}${places}`));
      continue;
    }
    if (loaded.has(ref)) continue;
    loaded.add(ref);
    try {
      const config = await loadExperimentConfig(resolved, ref, cwd);
      configFiles.push(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // The config's own file:line:col, then where the campaign names it.
      const referencedFrom = { file: file.displayPath, ...file.locate(at), path: formatFieldPath(at) };
      errors.push(...error.issues.map((issue) => ({ ...issue, referencedFrom })));
    }
  }

  if (errors.length > 0 || !schema.data) throw new ConfigError(errors, warnings);
  return {
    campaign: schema.data,
    configFiles,
    warnings: warnings.map(formatIssue),
    fileHash: createHash('md5').update(file.bytes).digest('hex'),
    path: file.absPath,
    displayPath: file.displayPath,
    locate: locatorOf(file),
  };
}

/** Config paths as written, with where they are in the campaign; wrong types are the schema's to report. */
function configRefs(raw: Record<string, unknown>): { ref: string; at: (string | number)[] }[] {
  const refs: { ref: string; at: (string | number)[] }[] = [];
  const usable = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  if (Array.isArray(raw.configs)) {
    raw.configs.forEach((ref, i) => usable(ref) && refs.push({ ref, at: ['configs', i] }));
  }
  if (Array.isArray(raw.experiments)) {
    raw.experiments.forEach((entry, i) => {
      if (isPlainMapping(entry) && usable(entry.config)) refs.push({ ref: entry.config, at: ['experiments', i, 'config'] });
    });
  }
  return refs;
}

// Experiment config files named by a campaign (`configs`, `experiments[].config`):
// where a path points, and the few fields lem-tui reads from the file. The rest
// passes through untouched to the harness.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError, showPath, type ConfigIssue } from './errors.js';
import { backendName, displayName, nonEmptyString } from './fields.js';
import type { ExperimentConfigFile } from './types.js';
import { readYamlFile, type YamlFile } from './yamlFile.js';

export interface ResolvedConfigPath {
  path: string;
  resolvedFrom: ExperimentConfigFile['resolvedFrom'];
}

/**
 * A relative path is resolved against the campaign file's folder, as
 * llenergymeasure does; when nothing is there but something is relative to
 * the cwd, that is used (people run from the repository root). null = neither.
 */
export async function resolveConfigPath(ref: string, campaignDir: string, cwd: string): Promise<ResolvedConfigPath | null> {
  if (path.isAbsolute(ref)) return (await exists(ref)) ? { path: ref, resolvedFrom: 'absolute' } : null;
  const nextToCampaign = path.resolve(campaignDir, ref);
  if (await exists(nextToCampaign)) return { path: nextToCampaign, resolvedFrom: 'campaign-dir' };
  const fromCwd = path.resolve(cwd, ref);
  if (await exists(fromCwd)) return { path: fromCwd, resolvedFrom: 'cwd' };
  return null;
}

/** Reads one experiment config; throws a ConfigError with every problem of that file. */
export async function loadExperimentConfig(
  resolved: ResolvedConfigPath,
  ref: string,
  cwd: string,
): Promise<ExperimentConfigFile> {
  // `configs: [configs/]` reads as "every file in it"; neither llenergymeasure
  // (it wants .yaml paths) nor lem-tui takes a folder, so say what to write instead.
  if (await isDirectory(resolved.path)) {
    const message = 'is a folder, not an experiment config: list each config file in the campaign';
    throw new ConfigError([{ file: showPath(resolved.path, cwd), message }]);
  }
  const file = await readYamlFile(resolved.path, { cwd });
  const data = file.value;
  const errors: ConfigIssue[] = [];
  if (Object.hasOwn(data, 'campaign_name')) {
    throw new ConfigError([
      file.issueAt(['campaign_name'], 'this is a campaign file, expected an experiment config', 'key'),
    ]);
  }
  const backend = field(file, 'backend', backendName(), errors) ?? 'pytorch';
  const configName = field(file, 'config_name', displayName(), errors) ?? path.basename(resolved.path, path.extname(resolved.path));
  field(file, 'model_name', nonEmptyString(), errors);
  if (errors.length > 0) throw new ConfigError(errors);
  return { path: resolved.path, resolvedFrom: resolved.resolvedFrom, ref, data, backend, configName };
}

/** An optional top-level field checked by a leaf schema; undefined when absent or wrong (wrong adds an error). */
function field<T>(
  file: YamlFile,
  key: string,
  schema: z.ZodType<T>,
  errors: ConfigIssue[],
): T | undefined {
  if (!Object.hasOwn(file.value, key)) return undefined;
  const result = schema.safeParse(file.value[key]);
  if (result.success) return result.data;
  for (const issue of result.error.issues) errors.push(file.issueAt([key], issue.message));
  return undefined;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false; // gone since it was resolved: readYamlFile says so
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

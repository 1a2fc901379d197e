// `.lem-config.yaml` in the current directory. A missing file means all
// defaults; an empty (or all-commented) one too, as llenergymeasure reads it
// (`safe_load(...) or {}`); anything malformed is a ConfigError. But what
// llenergymeasure accepts is never an error here: its own repository ships
// `webhook_url: https:// test`, so a webhook we cannot post to is a warning.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { checkSchema } from './checkSchema.js';
import { ConfigError, formatIssue, type ConfigIssue } from './errors.js';
import { isHttpUrl } from './fields.js';
import type { UserConfig } from './types.js';
import { userConfigSchema } from './userConfigSchema.js';
import { locatorOf, readYamlFile, type YamlFile } from './yamlFile.js';
import type { Locator } from './settingPlaces.js';

export const USER_CONFIG_FILE = '.lem-config.yaml';

export interface LoadedUserConfig {
  config: UserConfig;
  /** Absolute path of the file read, or null when there is none. */
  path: string | null;
  warnings: string[];
  /** Where a field is in the file; null when there is none. */
  locate: Locator | null;
}

export async function loadUserConfig(cwd: string): Promise<LoadedUserConfig> {
  const absPath = path.join(cwd, USER_CONFIG_FILE);
  if (!(await exists(absPath))) return { config: defaultUserConfig(), path: null, warnings: [], locate: null };
  const file = await readYamlFile(absPath, { cwd, allowEmpty: true });
  const result = checkSchema(userConfigSchema, file);
  if (!result.data) throw new ConfigError(result.errors, [...file.warnings, ...result.warnings]);
  const webhook = dropUnusableWebhook(result.data, file);
  const warnings = [...file.warnings, ...result.warnings, ...webhook];
  return { config: result.data, path: absPath, warnings: warnings.map(formatIssue), locate: locatorOf(file) };
}

/** A webhook_url that is not http(s) turns notifications off (sets it to null), with a warning at its place. */
function dropUnusableWebhook(config: UserConfig, file: YamlFile): ConfigIssue[] {
  const url = config.notifications.webhook_url;
  if (url === null || isHttpUrl(url)) return [];
  config.notifications.webhook_url = null;
  const at = ['notifications', 'webhook_url'];
  return [file.issueAt(at, `not an http:// or https:// URL (${JSON.stringify(url)}): notifications are off`)];
}

export function defaultUserConfig(): UserConfig {
  return userConfigSchema.parse({});
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (error) {
    // Anything but "not there" (a permission problem, say) is for the reader to report.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

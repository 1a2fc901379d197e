// `.lem-config.yaml` in the current directory. A missing file means all
// defaults; an empty (or all-commented) one too, as llenergymeasure reads it
// (`safe_load(...) or {}`); anything malformed is a ConfigError.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { checkSchema } from './checkSchema.js';
import { ConfigError, formatIssue } from './errors.js';
import type { UserConfig } from './types.js';
import { userConfigSchema } from './userConfigSchema.js';
import { readYamlFile } from './yamlFile.js';

export const USER_CONFIG_FILE = '.lem-config.yaml';

export interface LoadedUserConfig {
  config: UserConfig;
  /** Absolute path of the file read, or null when there is none. */
  path: string | null;
  warnings: string[];
}

export async function loadUserConfig(cwd: string): Promise<LoadedUserConfig> {
  const absPath = path.join(cwd, USER_CONFIG_FILE);
  if (!(await exists(absPath))) return { config: defaultUserConfig(), path: null, warnings: [] };
  const file = await readYamlFile(absPath, { cwd, allowEmpty: true });
  const result = checkSchema(userConfigSchema, file);
  if (!result.data) throw new ConfigError(result.errors, [...file.warnings, ...result.warnings]);
  return { config: result.data, path: absPath, warnings: [...file.warnings, ...result.warnings].map(formatIssue) };
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

// From argv to a Plan, with no side effect: load and validate the campaign,
// its experiment configs and .lem-config.yaml, resolve the settings, plan.
// Throws ConfigError (exit 2) with every problem found.
import fs from 'node:fs';
import { loadCampaign, type LoadedCampaign } from './config/loadCampaign.js';
import { loadUserConfig, type LoadedUserConfig } from './config/loadUserConfig.js';
import { resolveSettings } from './config/settings.js';
import { showPath } from './config/errors.js';
import type { CliFlags, RunSettings } from './config/types.js';
import { planCampaign } from './plan/planCampaign.js';
import type { Plan } from './plan/types.js';

export interface PreparedCampaign {
  loaded: LoadedCampaign;
  userConfig: LoadedUserConfig;
  settings: RunSettings;
  plan: Plan;
  /** Warnings of the files (unknown keys, schema version) and of planning. */
  warnings: string[];
  /** Where a config path was found when it was not next to the campaign file. */
  configNotes: string[];
}

export async function prepareCampaign(
  campaignPath: string,
  flags: CliFlags,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<PreparedCampaign> {
  const loaded = await loadCampaign(campaignPath, { cwd });
  const userConfig = await loadUserConfig(cwd);
  const settings = resolveSettings({
    flags,
    campaign: loaded.campaign,
    campaignPath,
    userConfig: userConfig.config,
    cwd,
    env,
    fileExists: isFile,
    files: { campaign: loaded.locate, userConfig: userConfig.locate },
  });
  const plan = planCampaign(loaded.campaign, loaded.configFiles, {
    cycles: settings.cycles,
    structure: settings.structure,
    seed: settings.seed,
  });
  const configNotes = loaded.configFiles
    .filter((file) => file.resolvedFrom === 'cwd')
    .map((file) => `${showPath(file.path, cwd)}: not next to the campaign file, found relative to the current directory`);
  return {
    loaded,
    userConfig,
    settings,
    plan,
    warnings: [...loaded.warnings, ...userConfig.warnings, ...plan.warnings],
    configNotes,
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

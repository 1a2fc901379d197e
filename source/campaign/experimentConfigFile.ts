// The per-experiment config handed to the harness (LEM-FORMATS.md,
// "Experiment config YAML"): the effective config plus a `_metadata` block,
// written to `<configs_dir>/_campaign_<expId>.yaml` (the dir the services
// mount at /app/configs) and removed after the experiment.
import fs from 'node:fs';
import path from 'node:path';
import { Document } from 'yaml';
import type { PlannedExperiment } from '../plan/types.js';
import { writeFileAtomic } from './atomicWrite.js';

export interface CampaignIdentity {
  name: string;
  id: string;
}

export function experimentConfigPath(configsDir: string, expId: string): string {
  return path.join(configsDir, `_campaign_${expId}.yaml`);
}

/** The document written for an experiment; `_metadata` replaces any the config had. */
export function experimentConfigDocument(exp: PlannedExperiment, campaign: CampaignIdentity): Record<string, unknown> {
  return {
    ...exp.config.config,
    _metadata: {
      experiment_id: exp.expId,
      campaign_name: campaign.name,
      campaign_id: campaign.id,
      cycle_id: exp.cycleIndex + 1,
      config_name: exp.config.name,
    },
  };
}

/** Writes the experiment's config file and returns its path. */
export async function writeExperimentConfig(configsDir: string, exp: PlannedExperiment, campaign: CampaignIdentity): Promise<string> {
  const file = experimentConfigPath(configsDir, exp.expId);
  await fs.promises.mkdir(configsDir, { recursive: true });
  // Everything, the comment included, goes through the YAML library: user
  // data (a campaign name, say) never becomes YAML by string concatenation.
  const doc = new Document(experimentConfigDocument(exp, campaign));
  doc.commentBefore = ` Written by lem-tui for experiment ${exp.expId}; removed when it ends.`;
  // lineWidth 0: no folded lines, so that line-based readers (our harness) see one key per line.
  await writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
  return file;
}

/** Removes an experiment's config file; one already gone is fine. */
export async function removeExperimentConfig(file: string): Promise<void> {
  try {
    await fs.promises.unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

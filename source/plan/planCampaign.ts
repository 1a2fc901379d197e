import type { CampaignFile, ExperimentConfigFile, Structure } from '../config/types.js';
import { campaignId, formatExpId } from './campaignId.js';
import { expandConfigs } from './expand.js';
import { orderExperiments } from './order.js';
import type { Plan, PlannedExperiment } from './types.js';

export interface PlanOptions {
  cycles: number;
  structure: Structure;
  seed: number;
}

/** The whole campaign as data: configs expanded, experiments ordered, ids allocated in execution order. */
export function planCampaign(
  campaign: CampaignFile,
  configFiles: readonly ExperimentConfigFile[],
  { cycles, structure, seed }: PlanOptions,
): Plan {
  const { configs, warnings } = expandConfigs(campaign, configFiles);
  const experiments = orderExperiments(configs, cycles, structure, seed).map(
    ({ item, cycleIndex }, index): PlannedExperiment => ({
      expId: formatExpId(index + 1),
      index,
      cycleIndex,
      config: item,
    }),
  );
  const services = [...new Set(experiments.map((experiment) => experiment.config.service))];
  if (configs.length === 0) warnings.push('the campaign expands to no experiments');
  return {
    campaignId: campaignId(campaign.campaign_name),
    campaignName: campaign.campaign_name,
    cycles,
    structure,
    seed,
    configs,
    experiments,
    services,
    warnings,
  };
}

// What the views know of the campaign besides its experiments: names, where
// it runs and why, the exact compose commands, where its files are.
import type { RunSettings } from '../config/types.js';
import type { ResolvedDispatch } from '../dispatch/resolveDispatch.js';
import type { Plan } from '../plan/types.js';
import type { CampaignMeta } from '../state/types.js';
import type { CampaignGpus } from '../dispatch/campaignGpus.js';
import { gpuLabels } from '../domain/gpuSlots.js';

export function campaignMeta(plan: Plan, settings: RunSettings, dispatch: ResolvedDispatch, gpus: CampaignGpus | null = null): CampaignMeta {
  return {
    // Only GPUs in a slot: a view takes slot i as the i-th consecutive group of them.
    ...(gpus ? { gpus: gpuLabels(gpus.slots.flat()), slots: gpus.slots.length } : {}),
    ...(settings.dispatch === 'slurm' ? slurmMeta(settings) : {}),
    campaignName: plan.campaignName,
    campaignId: plan.campaignId,
    strategy: dispatch.strategy,
    dispatch: dispatch.where,
    dispatchReason: dispatch.reason,
    composeProject: dispatch.project,
    composeFile: dispatch.composeFileLabel,
    commands: dispatch.dispatcher.commands,
    cycles: plan.cycles,
    structure: plan.structure,
    resultsDir: settings.resultsDir,
    manifestPath: settings.manifestPath,
    logDir: settings.resultsDir,
    autoTeardown: settings.autoTeardown,
    configGapSeconds: settings.configGapSeconds,
    cycleGapSeconds: settings.cycleGapSeconds,
  };
}

/** Slurm: its job limit is the slots; the views show the jobs instead of services. */
function slurmMeta({ slurm }: RunSettings): Pick<CampaignMeta, 'scheduler' | 'slots'> {
  return {
    scheduler: { kind: 'slurm', partition: slurm.partition, gres: slurm.gres, maxJobs: slurm.maxJobs, container: slurm.container },
    slots: slurm.maxJobs,
  };
}

// runner.slurm and the --slurm-* flags, resolved field by field with the
// precedence flag > campaign > .lem-config.yaml > default: .lem-config.yaml
// can hold the cluster's partition and a campaign only its max_jobs. A list
// (sbatch_args) given at one level replaces the lower one's, it is not merged.
import type { CliFlags, RunnerSection, SlurmSettings } from './types.js';

/** null partition and time limit: the cluster's default partition and that partition's limit. */
export const SLURM_DEFAULTS = { partition: null, gres: 'gpu:1', maxJobs: 4, timeLimit: null, container: 'none' } as const;

export function resolveSlurmSettings(flags: CliFlags, campaign: RunnerSection, user: RunnerSection): SlurmSettings {
  const fromCampaign = campaign.slurm ?? {};
  const fromUser = user.slurm ?? {};
  return {
    partition: flags.slurmPartition ?? fromCampaign.partition ?? fromUser.partition ?? SLURM_DEFAULTS.partition,
    // '' (gres: none) is a value: it wins over a lower level's gres.
    gres: fromCampaign.gres ?? fromUser.gres ?? SLURM_DEFAULTS.gres,
    maxJobs: flags.slurmMaxJobs ?? fromCampaign.max_jobs ?? fromUser.max_jobs ?? SLURM_DEFAULTS.maxJobs,
    timeLimit: fromCampaign.time_limit ?? fromUser.time_limit ?? SLURM_DEFAULTS.timeLimit,
    sbatchArgs: [...(fromCampaign.sbatch_args ?? fromUser.sbatch_args ?? [])],
    container: fromCampaign.container ?? fromUser.container ?? SLURM_DEFAULTS.container,
  };
}

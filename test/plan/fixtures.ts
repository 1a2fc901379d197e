import type { CampaignFile, ExperimentConfigFile } from '../../source/config/types.js';

/** A validated campaign with every default filled in, as the loader would return it. */
export function campaign(overrides: Partial<CampaignFile> = {}): CampaignFile {
  return {
    campaign_name: 'test-campaign',
    configs: [],
    experiments: [],
    execution: { warmup_prompts: 5, warmup_timeout_seconds: 30 },
    health_check: {
      enabled: true,
      interval_experiments: 0,
      gpu_memory_threshold_pct: 90,
      restart_on_failure: true,
      max_restarts: 3,
    },
    cold_start: { force_cold_start: false, restart_container: false },
    io: { configs_dir: 'configs', state_dir: '.state', manifest_filename: 'campaign_manifest.json' },
    runner: {},
    ...overrides,
  };
}

/** A loaded experiment config at /camp/configs/<stem>.yaml. */
export function configFile(stem: string, data: Record<string, unknown>): ExperimentConfigFile {
  return {
    path: `/camp/configs/${stem}.yaml`,
    resolvedFrom: 'campaign-dir',
    data,
    backend: (data.backend as ExperimentConfigFile['backend'] | undefined) ?? 'pytorch',
    configName: typeof data.config_name === 'string' ? data.config_name : stem,
  };
}

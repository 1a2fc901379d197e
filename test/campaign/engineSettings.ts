// Resolved settings for the engine's tests against a fake dispatcher: no
// gaps, and no result file required (the fake writes none) unless asked.
import { campaignSchema } from '../../source/config/campaignSchema.js';
import { resolveSettings } from '../../source/config/settings.js';
import type { CliFlags, RunSettings } from '../../source/config/types.js';
import { userConfigSchema } from '../../source/config/userConfigSchema.js';

export function engineSettings(cwd: string, campaign: Record<string, unknown> = {}, flags: Partial<CliFlags> = {}): RunSettings {
  return resolveSettings({
    flags: { yes: true, dryRun: false, validateOnly: false, tui: false, json: false, ...flags },
    campaign: campaignSchema.parse({
      campaign_name: 'test-campaign',
      configs: ['a.yaml'],
      execution: { config_gap_seconds: 0, cycle_gap_seconds: 0 },
      runner: { require_result: false },
      ...campaign,
    }),
    campaignPath: 'campaign.yaml',
    userConfig: userConfigSchema.parse({}),
    cwd,
    env: {},
    fileExists: () => false,
  });
}

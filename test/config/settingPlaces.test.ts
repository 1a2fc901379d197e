// Where a setting checked only later was given (settings.places): the same
// precedence as its value (flag > campaign > .lem-config.yaml > default), at
// the place each file's locator gives; how messages name it.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../source/config/campaignSchema.js';
import { settingIssue, settingLabel, settingPlaces } from '../../source/config/settingPlaces.js';
import type { CliFlags } from '../../source/config/types.js';
import { userConfigSchema } from '../../source/config/userConfigSchema.js';

const NO_FLAGS: CliFlags = { yes: false, dryRun: false, validateOnly: false, tui: true, json: false };
const files = {
  campaign: (p: readonly (string | number)[]) => ({ file: 'campaign.yaml', line: p.length * 10, column: 3 }),
  userConfig: (p: readonly (string | number)[]) => ({ file: '.lem-config.yaml', line: p.length, column: 5 }),
};

function places(flags: Partial<CliFlags>, campaignRunner: Record<string, unknown>, userRunner: Record<string, unknown>) {
  return settingPlaces({
    flags: { ...NO_FLAGS, ...flags },
    campaign: campaignSchema.parse({ campaign_name: 't', configs: ['a.yaml'], runner: campaignRunner }),
    userConfig: userConfigSchema.parse({ runner: userRunner }),
    campaignDisplayPath: 'campaign.yaml',
    files,
  });
}

describe('settingPlaces', () => {
  it('the level that gives the value, at its place in that file', () => {
    const all = places({ gpus: ['0'] }, { gpus: [1], slurm: { gres: 'gpu:2' } }, { gpus: [2], slurm: { gres: 'gpu:1', sbatch_args: ['-A', 'x'] } });
    expect(all.gpus).toEqual({ source: 'flag', file: 'command line', path: '--gpus' });
    expect(all.slurmGres).toEqual({ source: 'campaign', file: 'campaign.yaml', line: 30, column: 3, path: 'runner.slurm.gres' });
    expect(all.slurmSbatchArgs).toEqual({ source: 'user-config', file: '.lem-config.yaml', line: 3, column: 5, path: 'runner.slurm.sbatch_args' });
    expect(all.slurmTimeLimit).toEqual({ source: 'default', file: 'default', path: 'runner.slurm.time_limit' });
    expect(places({}, { gpus: [1] }, { gpus: [2] }).gpus).toMatchObject({ source: 'campaign', line: 20 });
    expect(places({}, {}, { gpus: [2] }).gpus).toMatchObject({ source: 'user-config', file: '.lem-config.yaml', line: 2 });
  });

  it('names the setting: the flag, file:line:col and path, or the default', () => {
    const p = places({ slurmPartition: 'gpu' }, { gpus: [1] }, {});
    expect(settingLabel(p.slurmPartition)).toBe('--slurm-partition');
    expect(settingLabel(p.gpus)).toBe('campaign.yaml:20:3 runner.gpus');
    expect(settingLabel(p.slurmGres)).toBe('runner.slurm.gres (default)');
    expect(settingIssue(p.gpus, 'no GPU 7')).toEqual({ file: 'campaign.yaml', line: 20, column: 3, path: 'runner.gpus', message: 'no GPU 7' });
    expect(settingIssue(p.slurmGres, 'refused')).toEqual({ file: 'runner.slurm.gres (default)', message: 'refused' });
  });
});

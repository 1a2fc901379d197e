// runner.slurm in the campaign and in .lem-config.yaml (through the loaders,
// so that messages carry file:line:col), and its resolution with the
// --slurm-* flags, field by field: flag > campaign > .lem-config.yaml > default.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../source/config/campaignSchema.js';
import { loadCampaign } from '../../source/config/loadCampaign.js';
import { loadUserConfig } from '../../source/config/loadUserConfig.js';
import { resolveSettings } from '../../source/config/settings.js';
import { resolveSlurmSettings, SLURM_DEFAULTS } from '../../source/config/slurmSettings.js';
import type { CliFlags, SlurmSettings } from '../../source/config/types.js';
import { userConfigSchema } from '../../source/config/userConfigSchema.js';
import { issuesOf, issuesOfSync, tempDir, writeFiles } from './helpers.js';

const BASE = 'campaign_name: test\nconfigs: [a.yaml]\n'; // two lines: runner starts at line 3
const NO_FLAGS: CliFlags = { yes: false, dryRun: false, validateOnly: false, tui: true, json: false };

async function loadBoth(campaign: string, userConfig?: string) {
  const cwd = await tempDir();
  await writeFiles(cwd, {
    'a.yaml': 'backend: pytorch\n',
    'campaign.yaml': campaign,
    ...(userConfig === undefined ? {} : { '.lem-config.yaml': userConfig }),
  });
  return { cwd, loaded: await loadCampaign('campaign.yaml', { cwd }), user: await loadUserConfig(cwd) };
}

async function campaignErrors(text: string): Promise<string[]> {
  const cwd = await tempDir();
  await writeFiles(cwd, { 'a.yaml': 'backend: pytorch\n', 'campaign.yaml': text });
  return issuesOf(loadCampaign('campaign.yaml', { cwd }));
}

async function userConfigErrors(text: string): Promise<string[]> {
  const cwd = await tempDir();
  await writeFiles(cwd, { '.lem-config.yaml': text });
  return issuesOf(loadUserConfig(cwd));
}

/** The resolved Slurm settings of a campaign runner.slurm, a .lem-config.yaml runner.slurm and flags. */
function slurm(levels: { flags?: Partial<CliFlags>; campaign?: Record<string, unknown>; user?: Record<string, unknown> }): SlurmSettings {
  return resolveSettings({
    flags: { ...NO_FLAGS, ...levels.flags },
    campaign: campaignSchema.parse({ campaign_name: 't', configs: ['a.yaml'], runner: { slurm: levels.campaign } }),
    campaignPath: 'campaign.yaml',
    userConfig: userConfigSchema.parse({ runner: { slurm: levels.user } }),
    cwd: '/w',
    env: {},
    fileExists: () => false,
  }).slurm;
}

const GRES_WORDS = 'expected a generic resource as Slurm takes it, e.g. gpu:1 or gpu:a100:2 (or none for no --gres)';
const TIME_WORDS =
  'expected a Slurm time limit (minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes or days-hours:minutes:seconds, e.g. 30, 1:00:00 or 1-12:00:00)';

describe('runner.slurm: reading', () => {
  it('absent: the documented defaults', () => {
    expect(slurm({})).toStrictEqual({ partition: null, gres: 'gpu:1', maxJobs: 4, timeLimit: null, sbatchArgs: [], container: 'none' });
    expect(SLURM_DEFAULTS).toMatchObject({ gres: 'gpu:1', maxJobs: 4, container: 'none' });
  });

  it('reads every field in the campaign file, no warning', async () => {
    const { loaded } = await loadBoth(`${BASE}runner:
  slurm:
    partition: gpu-short
    gres: gpu:a100:2
    max_jobs: 8
    time_limit: 1-12:00:00
    sbatch_args: [--account, proj1, --qos=high]
    container: compose
`);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.campaign.runner.slurm).toStrictEqual({
      partition: 'gpu-short',
      gres: 'gpu:a100:2',
      max_jobs: 8,
      time_limit: '1-12:00:00',
      sbatch_args: ['--account', 'proj1', '--qos=high'],
      container: 'compose',
    });
  });

  it('reads it in .lem-config.yaml runner: too', async () => {
    const { user } = await loadBoth(BASE, 'runner:\n  slurm: {partition: debug, max_jobs: 2}\n');
    expect(user.warnings).toEqual([]);
    expect(user.config.runner.slurm).toStrictEqual({ partition: 'debug', max_jobs: 2 });
  });

  it.each(['gpu', 'gpu:1', 'gpu:a100:2', 'gpu:1,shard:2', 'gpu:tesla_v100-sxm2:4', 'mps:100', 'gpu:1g.10gb:1'])('gres %s is kept as written', async (gres) => {
    const { loaded } = await loadBoth(`${BASE}runner:\n  slurm:\n    gres: ${gres}\n`);
    expect(loaded.campaign.runner.slurm?.gres).toBe(gres);
  });

  it.each(['none', 'null', '~', ''])('gres written as `%s` (none, or a YAML null): no --gres at all, kept as an empty string', async (value) => {
    const { loaded } = await loadBoth(`${BASE}runner:\n  slurm:\n    gres: ${value}\n`);
    expect(loaded.campaign.runner.slurm?.gres).toBe('');
  });

  it.each([
    ['30', '30'],
    ['0', '0'],
    ['"45"', '45'],
    ['30:15', '30:15'],
    ['1:00:00', '1:00:00'],
    ['2-12', '2-12'],
    ['2-12:30', '2-12:30'],
    ['1-00:00:00', '1-00:00:00'],
  ])('time_limit %s is read as %j (a YAML integer is minutes)', async (value, expected) => {
    const { loaded } = await loadBoth(`${BASE}runner:\n  slurm:\n    time_limit: ${value}\n`);
    expect(loaded.campaign.runner.slurm?.time_limit).toBe(expected);
  });
});

describe('runner.slurm: bad values, at their place', () => {
  it.each([
    ['partition', '""', 'expected a non-empty string, got ""'],
    ['partition', '5', 'expected a non-empty string, got 5'],
    ['gres', '"  "', `${GRES_WORDS}, got "  "`],
    ['gres', '""', `${GRES_WORDS}, got ""`],
    ['gres', '"gpu: 1"', `${GRES_WORDS}, got "gpu: 1"`],
    ['gres', 'gpu:1,', `${GRES_WORDS}, got "gpu:1,"`],
    ['gres', 'gpu:a100:x', `${GRES_WORDS}, got "gpu:a100:x"`],
    ['gres', 'gpu:-1', `${GRES_WORDS}, got "gpu:-1"`],
    ['gres', 'gpu:a100:-2', `${GRES_WORDS}, got "gpu:a100:-2"`],
    ['gres', 'gpu:a100:0', `${GRES_WORDS}, got "gpu:a100:0"`],
    ['gres', '2', `${GRES_WORDS}, got 2`],
    ['gres', '[gpu]', `${GRES_WORDS}, got a list`],
    ['max_jobs', '0', 'expected an integer from 1 to 1000, got 0'],
    ['max_jobs', '1001', 'expected an integer from 1 to 1000, got 1001'],
    ['max_jobs', '2.5', 'expected an integer from 1 to 1000, got 2.5'],
    ['time_limit', '1h', `${TIME_WORDS}, got "1h"`],
    ['time_limit', '-5', `${TIME_WORDS}, got -5`],
    ['time_limit', '1.5', `${TIME_WORDS}, got 1.5`],
    ['time_limit', '"1:2:3:4"', `${TIME_WORDS}, got "1:2:3:4"`],
    ['time_limit', '"1-"', `${TIME_WORDS}, got "1-"`],
    ['time_limit', '" 30"', `${TIME_WORDS}, got " 30"`],
    ['sbatch_args', '--account proj1', 'expected a list of arguments, e.g. [--account, proj1], got "--account proj1"'],
    ['sbatch_args', '{account: proj1}', 'expected a list of arguments, e.g. [--account, proj1], got a mapping'],
    ['container', 'docker', 'expected one of none, compose, got "docker"'],
  ])('%s: %s', async (key, value, message) => {
    const column = 4 + key.length + 2 + 1;
    expect(await campaignErrors(`${BASE}runner:\n  slurm:\n    ${key}: ${value}\n`)).toEqual([
      `campaign.yaml:5:${column} runner.slurm.${key}: ${message}`,
    ]);
  });

  it('a bad list item is placed at the item', async () => {
    expect(await campaignErrors(`${BASE}runner:\n  slurm:\n    sbatch_args: [--account, ""]\n`)).toEqual([
      'campaign.yaml:5:30 runner.slurm.sbatch_args[1]: expected a non-empty string, got ""',
    ]);
  });

  it('the same in .lem-config.yaml, with its own name and lines', async () => {
    expect(await userConfigErrors('runner:\n  slurm:\n    time_limit: soon\n    sbatch_args: --qos=high\n')).toEqual([
      `.lem-config.yaml:3:17 runner.slurm.time_limit: ${TIME_WORDS}, got "soon"`,
      '.lem-config.yaml:4:18 runner.slurm.sbatch_args: expected a list of arguments, e.g. [--account, proj1], got "--qos=high"',
    ]);
  });

  it('slurm must be a mapping', async () => {
    expect(await campaignErrors(`${BASE}runner:\n  slurm: debug\n`)).toEqual([
      'campaign.yaml:4:10 runner.slurm: expected a mapping, got "debug"',
    ]);
  });

  it('an unknown key inside slurm is a warning at its place, with a guess', async () => {
    const { loaded, user } = await loadBoth(
      `${BASE}runner:\n  slurm:\n    partiton: debug\n    max_job: 3\n    nodes: 2\n`,
      'runner:\n  slurm:\n    time_limt: 30\n',
    );
    expect(loaded.warnings).toEqual([
      'campaign.yaml:5:5 runner.slurm.partiton: unknown key, ignored (did you mean partition?)',
      'campaign.yaml:6:5 runner.slurm.max_job: unknown key, ignored (did you mean max_jobs?)',
      'campaign.yaml:7:5 runner.slurm.nodes: unknown key, ignored',
    ]);
    expect(loaded.campaign.runner.slurm).toStrictEqual({});
    expect(user.warnings).toEqual(['.lem-config.yaml:3:5 runner.slurm.time_limt: unknown key, ignored (did you mean time_limit?)']);
  });
});

describe('runner.slurm: precedence, field by field', () => {
  it.each([
    ['partition', { slurmPartition: 'f' }, { partition: 'c' }, { partition: 'u' }, (s: SlurmSettings) => s.partition, ['f', 'c', 'u', null]],
    ['max jobs', { slurmMaxJobs: 9 }, { max_jobs: 7 }, { max_jobs: 5 }, (s: SlurmSettings) => s.maxJobs, [9, 7, 5, 4]],
    ['gres', {}, { gres: 'gpu:2' }, { gres: 'gpu:a100:1' }, (s: SlurmSettings) => s.gres, [null, 'gpu:2', 'gpu:a100:1', 'gpu:1']],
    ['time limit', {}, { time_limit: 30 }, { time_limit: '2:00:00' }, (s: SlurmSettings) => s.timeLimit, [null, '30', '2:00:00', null]],
    ['sbatch args', {}, { sbatch_args: ['-A', 'c'] }, { sbatch_args: ['-A', 'u'] }, (s: SlurmSettings) => s.sbatchArgs, [null, ['-A', 'c'], ['-A', 'u'], []]],
    ['container', {}, { container: 'compose' }, { container: 'none' }, (s: SlurmSettings) => s.container, [null, 'compose', 'none', 'none']],
  ] as const)('%s', (_name, flags, campaign, user, read, [byFlag, byCampaign, byUser, byDefault]) => {
    if (byFlag !== null) expect(read(slurm({ flags, campaign, user }))).toEqual(byFlag);
    expect(read(slurm({ campaign, user }))).toEqual(byCampaign);
    expect(read(slurm({ user }))).toEqual(byUser);
    expect(read(slurm({}))).toEqual(byDefault);
  });

  it('.lem-config.yaml holds the cluster, the campaign only max_jobs: each field from its own level', async () => {
    const { loaded, user } = await loadBoth(
      `${BASE}runner:\n  slurm:\n    max_jobs: 12\n`,
      'runner:\n  slurm:\n    partition: a100\n    gres: gpu:a100:1\n    time_limit: 4:00:00\n    sbatch_args: [--account, lab]\n',
    );
    const resolved = resolveSlurmSettings(NO_FLAGS, loaded.campaign.runner, user.config.runner);
    expect(resolved).toStrictEqual({
      partition: 'a100',
      gres: 'gpu:a100:1',
      maxJobs: 12,
      timeLimit: '4:00:00',
      sbatchArgs: ['--account', 'lab'],
      container: 'none',
    });
    expect(resolveSlurmSettings({ ...NO_FLAGS, slurmPartition: 'debug', slurmMaxJobs: 1 }, loaded.campaign.runner, user.config.runner))
      .toMatchObject({ partition: 'debug', maxJobs: 1, gres: 'gpu:a100:1' });
  });

  it('gres: none in the campaign wins over a gres in .lem-config.yaml', () => {
    expect(slurm({ campaign: { gres: 'none' }, user: { gres: 'gpu:4' } }).gres).toBe('');
  });

  it('the resolved list is a copy, not the parsed one', async () => {
    const { loaded, user } = await loadBoth(`${BASE}runner:\n  slurm:\n    sbatch_args: [-A, x]\n`);
    const resolved = resolveSlurmSettings(NO_FLAGS, loaded.campaign.runner, user.config.runner);
    resolved.sbatchArgs.push('--extra');
    expect(loaded.campaign.runner.slurm?.sbatch_args).toEqual(['-A', 'x']);
  });

  it('flag values are checked by resolveSettings too', () => {
    const settings = (flags: Partial<CliFlags>) => () => slurm({ flags });
    expect(issuesOfSync(settings({ slurmMaxJobs: 0 }))).toEqual(['command line --slurm-max-jobs: expected an integer from 1 to 1000, got 0']);
    expect(issuesOfSync(settings({ slurmMaxJobs: 1.5 }))).toEqual(['command line --slurm-max-jobs: expected an integer from 1 to 1000, got 1.5']);
    expect(issuesOfSync(settings({ slurmPartition: ' ' }))).toEqual(['command line --slurm-partition: expected a non-empty value, got " "']);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../source/config/campaignSchema.js';
import { DEFAULTS, resolveSettings } from '../../source/config/settings.js';
import type { CliFlags, RunSettings } from '../../source/config/types.js';
import { userConfigSchema } from '../../source/config/userConfigSchema.js';
import { issuesOfSync } from './helpers.js';

const cwd = '/w';
const campaignDir = '/w/study';
const NO_FLAGS: CliFlags = { yes: false, dryRun: false, validateOnly: false, tui: true, json: false };

function settings(
  levels: { flags?: Partial<CliFlags>; campaign?: Record<string, unknown>; user?: Record<string, unknown> } = {},
  env: NodeJS.ProcessEnv = {},
  files: string[] = ['/w/docker-compose.yml'],
): RunSettings {
  return resolveSettings({
    flags: { ...NO_FLAGS, ...levels.flags },
    campaign: campaignSchema.parse({ campaign_name: 't', configs: ['a.yaml'], ...levels.campaign }),
    campaignPath: 'study/campaign.yaml',
    userConfig: userConfigSchema.parse(levels.user ?? {}),
    cwd,
    env,
    fileExists: (file) => files.includes(file),
  });
}

interface Row {
  name: string;
  read: (s: RunSettings) => unknown;
  flag?: { given: Partial<CliFlags>; expect: unknown };
  campaign?: { given: Record<string, unknown>; expect: unknown };
  user?: { given: Record<string, unknown>; expect: unknown };
  default: unknown;
}

// Each row gives a different value at every level it has; the test drops the
// levels from the top one at a time and checks the next one shows through.
const rows: Row[] = [
  {
    name: 'container strategy (and its source)',
    read: (s) => [s.containerStrategy, s.containerStrategySource],
    flag: { given: { containerStrategy: 'persistent' }, expect: ['persistent', 'flag'] },
    campaign: { given: { runner: { container_strategy: 'ephemeral' } }, expect: ['ephemeral', 'campaign'] },
    user: { given: { docker: { strategy: 'persistent' } }, expect: ['persistent', 'user-config'] },
    default: ['ephemeral', 'default'],
  },
  {
    name: 'dispatch',
    read: (s) => s.dispatch,
    flag: { given: { dispatch: 'local' }, expect: 'local' },
    campaign: { given: { runner: { dispatch: 'docker' } }, expect: 'docker' },
    user: { given: { runner: { dispatch: 'local' } }, expect: 'local' },
    default: 'auto',
  },
  {
    name: 'compose file (and where it came from); relative to the cwd, the campaign folder, the cwd; else found as compose finds it',
    read: (s) => [s.composeFiles, s.composeFileOrigin],
    flag: { given: { composeFile: 'f.yml' }, expect: [['/w/f.yml'], 'flag'] },
    campaign: { given: { runner: { compose_file: 'c.yml' } }, expect: [['/w/study/c.yml'], 'campaign'] },
    user: { given: { runner: { compose_file: 'u.yml' } }, expect: [['/w/u.yml'], 'user-config'] },
    default: [['/w/docker-compose.yml'], 'cwd'],
  },
  {
    name: 'compose command (split on whitespace; null = detect)',
    read: (s) => s.composeCommand,
    flag: { given: { composeCommand: 'docker compose' }, expect: ['docker', 'compose'] },
    campaign: { given: { runner: { compose_command: 'docker-compose' } }, expect: ['docker-compose'] },
    user: { given: { docker: { compose_command: ' podman   compose ' } }, expect: ['podman', 'compose'] },
    default: null,
  },
  {
    name: 'lem command',
    read: (s) => s.lemCommand,
    flag: { given: { lemCommand: 'python -m lem' }, expect: ['python', '-m', 'lem'] },
    campaign: { given: { runner: { lem_command: 'lem2' } }, expect: ['lem2'] },
    user: { given: { runner: { lem_command: 'lem3 --x' } }, expect: ['lem3', '--x'] },
    default: ['lem'],
  },
  {
    name: 'cycles',
    read: (s) => s.cycles,
    flag: { given: { cycles: 5 }, expect: 5 },
    campaign: { given: { execution: { cycles: 7 } }, expect: 7 },
    default: 3,
  },
  {
    name: 'structure',
    read: (s) => s.structure,
    flag: { given: { structure: 'grouped' }, expect: 'grouped' },
    campaign: { given: { execution: { structure: 'shuffled' } }, expect: 'shuffled' },
    default: 'interleaved',
  },
  { name: 'seed', read: (s) => s.seed, flag: { given: { seed: 7 }, expect: 7 }, default: 42 },
  {
    name: 'gap between experiments',
    read: (s) => s.configGapSeconds,
    campaign: { given: { execution: { config_gap_seconds: 5 } }, expect: 5 },
    user: { given: { thermal_gaps: { between_experiments: 6 } }, expect: 6 },
    default: 60,
  },
  {
    name: 'gap between cycles',
    read: (s) => s.cycleGapSeconds,
    campaign: { given: { execution: { cycle_gap_seconds: 0 } }, expect: 0 },
    user: { given: { thermal_gaps: { between_cycles: 8 } }, expect: 8 },
    default: 300,
  },
  {
    name: 'results dir (and whether the user named one)',
    read: (s) => [s.resultsDir, s.resultsDirGiven],
    flag: { given: { resultsDir: 'r1' }, expect: ['/w/r1', true] },
    campaign: { given: { io: { results_dir: 'r2' } }, expect: ['/w/study/r2', true] },
    user: { given: { results_dir: 'r3' }, expect: ['/w/r3', true] },
    default: ['/w/study/results', false],
  },
  {
    name: 'experiment timeout',
    read: (s) => s.experimentTimeoutSeconds,
    flag: { given: { experimentTimeout: 100 }, expect: 100 },
    campaign: { given: { runner: { experiment_timeout_seconds: 200 } }, expect: 200 },
    user: { given: { runner: { experiment_timeout_seconds: 300 } }, expect: 300 },
    default: 0,
  },
  {
    name: 'stuck after',
    read: (s) => s.stuckAfterSeconds,
    flag: { given: { stuckAfter: 10 }, expect: 10 },
    campaign: { given: { runner: { stuck_after_seconds: 20 } }, expect: 20 },
    user: { given: { runner: { stuck_after_seconds: 30 } }, expect: 30 },
    default: 300,
  },
  {
    name: 'GPU telemetry',
    read: (s) => s.gpuTelemetry,
    flag: { given: { gpuTelemetry: 'off' }, expect: 'off' },
    campaign: { given: { runner: { gpu_telemetry: 'off' } }, expect: 'off' },
    user: { given: { runner: { gpu_telemetry: 'off' } }, expect: 'off' },
    default: 'auto',
  },
  {
    name: 'GPUs (--gpus)',
    read: (s) => s.gpus,
    flag: { given: { gpus: ['0', '1'] }, expect: ['0', '1'] },
    campaign: { given: { runner: { gpus: 'all' } }, expect: 'all' },
    user: { given: { runner: { gpus: ['3'] } }, expect: ['3'] },
    default: null,
  },
  {
    name: 'GPUs per experiment',
    read: (s) => s.gpusPerExperiment,
    campaign: { given: { runner: { gpus_per_experiment: 2 } }, expect: 2 },
    user: { given: { runner: { gpus_per_experiment: 4 } }, expect: 4 },
    default: 1,
  },
  {
    name: 'GPU telemetry interval',
    read: (s) => s.gpuTelemetryIntervalMs,
    campaign: { given: { runner: { gpu_telemetry_interval_ms: 250 } }, expect: 250 },
    user: { given: { runner: { gpu_telemetry_interval_ms: 1000 } }, expect: 1000 },
    default: 500,
  },
  {
    name: 'max retries',
    read: (s) => s.maxRetries,
    campaign: { given: { runner: { max_retries: 3 } }, expect: 3 },
    user: { given: { runner: { max_retries: 0 } }, expect: 0 },
    default: 1,
  },
  {
    name: 'stop grace',
    read: (s) => s.stopGraceSeconds,
    campaign: { given: { runner: { stop_grace_seconds: 5 } }, expect: 5 },
    user: { given: { runner: { stop_grace_seconds: 6 } }, expect: 6 },
    default: 10,
  },
  {
    name: 'warm-up delay and auto teardown (user config only)',
    read: (s) => [s.warmupDelaySeconds, s.autoTeardown],
    user: { given: { docker: { warmup_delay: 2.5, auto_teardown: false } }, expect: [2.5, false] },
    default: [0, true],
  },
  {
    name: 'notifications (user config only)',
    read: (s) => [s.webhookUrl, s.notifyOnComplete, s.notifyOnFailure],
    user: {
      given: { notifications: { webhook_url: 'http://h/x', on_complete: false, on_failure: false } },
      expect: ['http://h/x', false, false],
    },
    default: [null, true, true],
  },
];

describe('resolveSettings: precedence CLI flag > campaign > user config > default', () => {
  for (const row of rows) {
    it(row.name, () => {
      const levels = [
        ['flags', row.flag],
        ['campaign', row.campaign],
        ['user', row.user],
      ] as const;
      for (let top = 0; top <= levels.length; top++) {
        const given = Object.fromEntries(levels.slice(top).flatMap(([key, level]) => (level ? [[key, level.given]] : [])));
        const expected = top < levels.length ? levels[top]![1]?.expect : row.default;
        if (top < levels.length && !levels[top]![1]) continue; // this setting has no such level
        expect(row.read(settings(given)), `${row.name}, top level ${levels[top]?.[0] ?? 'default'}`).toEqual(expected);
      }
    });
  }

  it('within the user config, docker.* wins over runner.*', () => {
    const both = { docker: { strategy: 'ephemeral', compose_command: 'a' }, runner: { container_strategy: 'persistent', compose_command: 'b' } };
    expect(settings({ user: both })).toMatchObject({ containerStrategy: 'ephemeral', composeCommand: ['a'] });
    const runnerOnly = { runner: { container_strategy: 'persistent', compose_command: 'b' } };
    expect(settings({ user: runnerOnly })).toMatchObject({
      containerStrategy: 'persistent',
      containerStrategySource: 'user-config',
      composeCommand: ['b'],
    });
  });

  it('the defaults are the documented ones', () => {
    expect(DEFAULTS).toMatchObject({ cycles: 3, structure: 'interleaved', seed: 42, configGapSeconds: 60, cycleGapSeconds: 300 });
  });
});

describe('resolveSettings: everything else', () => {
  it('campaign io paths resolve against the campaign folder; the manifest is in the state dir', () => {
    const s = settings();
    expect([s.campaignPath, s.campaignDir, s.configsDir, s.stateDir, s.manifestPath]).toEqual([
      '/w/study/campaign.yaml',
      campaignDir,
      '/w/study/configs',
      '/w/.state', // the current directory's, as llenergymeasure has it
      '/w/.state/campaign_manifest.json',
    ]);
    const custom = settings({ campaign: { io: { configs_dir: '../shared/cfg', state_dir: '/var/lem', manifest_filename: 'm.json' } } });
    expect([custom.configsDir, custom.stateDir, custom.manifestPath]).toEqual(['/w/shared/cfg', '/var/lem', '/var/lem/m.json']);
  });

  it('an absolute flag path stays as it is', () => {
    expect(settings({ flags: { composeFile: '/etc/compose.yml', resultsDir: '/data/r' } })).toMatchObject({
      composeFiles: ['/etc/compose.yml'],
      resultsDir: '/data/r',
    });
  });

  it('health check, cold start, dataset and samples come from the campaign', () => {
    const s = settings({
      campaign: {
        dataset: 'ds',
        num_samples: 10,
        health_check: { max_restarts: 1 },
        cold_start: { restart_container: true },
      },
    });
    expect(s).toMatchObject({ dataset: 'ds', numSamples: 10, coldStart: true });
    expect(s.healthCheck).toEqual({
      enabled: true,
      interval_experiments: 0,
      gpu_memory_threshold_pct: 90,
      restart_on_failure: true,
      max_restarts: 1,
    });
    expect(settings()).toMatchObject({ dataset: null, numSamples: null, coldStart: false });
    expect(settings({ campaign: { cold_start: { force_cold_start: true } } }).coldStart).toBe(true);
  });

  it('verbosity: the caller\'s LLM_ENERGY_VERBOSITY > .lem-config.yaml verbosity > normal', () => {
    const quietUser = { user: { verbosity: 'quiet' } };
    expect(settings(quietUser, { LLM_ENERGY_VERBOSITY: 'verbose' }).verbosity).toBe('verbose');
    expect(settings(quietUser, {}).verbosity).toBe('quiet');
    expect(settings(quietUser, { LLM_ENERGY_VERBOSITY: '' }).verbosity).toBe('quiet');
    expect(settings({}, { LLM_ENERGY_VERBOSITY: 'verbose' }).verbosity).toBe('verbose');
    expect(settings({}, {}).verbosity).toBe('normal');
    expect(settings({}, { LLM_ENERGY_VERBOSITY: '' }).verbosity).toBe('normal');
  });

  it('a campaign path already absolute is kept', () => {
    const s = resolveSettings({
      flags: NO_FLAGS,
      campaign: campaignSchema.parse({ campaign_name: 't', configs: ['a'] }),
      campaignPath: '/x/y/c.yaml',
      userConfig: userConfigSchema.parse({}),
      cwd,
      env: {},
      fileExists: (file) => file === '/x/y/compose.yaml',
    });
    expect([s.campaignDir, s.composeFiles, s.composeFileOrigin]).toEqual(['/x/y', [path.join('/x/y', 'compose.yaml')], 'campaign-dir']);
  });
});

describe('resolveSettings: flag values are checked too', () => {
  it.each([
    [{ cycles: 0 }, 'command line --cycles: expected an integer from 1 to 20, got 0'],
    [{ cycles: 21 }, 'command line --cycles: expected an integer from 1 to 20, got 21'],
    [{ cycles: 1.5 }, 'command line --cycles: expected an integer from 1 to 20, got 1.5'],
    [{ seed: -1 }, 'command line --seed: expected an integer from 0 to 4294967295, got -1'],
    [{ experimentTimeout: -1 }, 'command line --experiment-timeout: expected an integer from 0 to 604800, got -1'],
    [{ stuckAfter: -1 }, 'command line --stuck-after: expected an integer from 0 to 86400, got -1'],
    [{ structure: 'random' }, 'command line --structure: expected one of interleaved, shuffled, grouped, got "random"'],
    [{ containerStrategy: 'swarm' }, 'command line --container-strategy: expected one of ephemeral, persistent, got "swarm"'],
    [{ dispatch: 'remote' }, 'command line --dispatch: expected one of auto, docker, local, slurm, got "remote"'],
    [{ composeFile: ' ' }, 'command line --compose-file: expected a non-empty value, got " "'],
    [{ lemCommand: '' }, 'command line --lem-command: expected a non-empty value, got ""'],
  ] as [Partial<CliFlags>, string][])('%j', (flags, expected) => {
    expect(issuesOfSync(() => settings({ flags }))).toEqual([expected]);
  });

  it('reports every bad flag together', () => {
    expect(issuesOfSync(() => settings({ flags: { cycles: 0, seed: 1.5 } }))).toEqual([
      'command line --cycles: expected an integer from 1 to 20, got 0',
      'command line --seed: expected an integer from 0 to 4294967295, got 1.5',
    ]);
  });
});

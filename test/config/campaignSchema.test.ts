// Every rule of the campaign YAML (LEM-FORMATS.md), through loadCampaign so
// that the messages are the ones a user sees, with file:line:col.
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../../source/config/loadCampaign.js';
import { issuesOf, tempDir, writeFiles } from './helpers.js';

const BASE = 'campaign_name: test\nconfigs: [a.yaml]\n'; // two lines: additions start at line 3

async function load(text: string) {
  const cwd = await tempDir();
  await writeFiles(cwd, { 'a.yaml': 'backend: pytorch\n', 'campaign.yaml': text });
  return loadCampaign('campaign.yaml', { cwd });
}
const errorsOf = (text: string) => issuesOf(load(text));

describe('campaign: defaults', () => {
  it('fills documented defaults and leaves precedence fields undefined', async () => {
    const { campaign, warnings } = await load(BASE);
    expect(warnings).toEqual([]);
    expect(campaign).toStrictEqual({
      campaign_name: 'test',
      configs: ['a.yaml'],
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
    });
    expect(campaign.execution.cycles).toBeUndefined();
    expect(campaign.execution.structure).toBeUndefined();
    expect(campaign.execution.config_gap_seconds).toBeUndefined();
    expect(campaign.execution.cycle_gap_seconds).toBeUndefined();
    expect(campaign.io.results_dir).toBeUndefined();
  });

  it('daemon defaults: enabled false, quiet true', async () => {
    const { campaign } = await load(`${BASE}daemon: {at: "02:00"}\n`);
    expect(campaign.daemon).toStrictEqual({ enabled: false, at: '02:00', quiet: true });
  });
});

describe('campaign: the full documented example', () => {
  it('reads every field', async () => {
    const text = `schema_version: "3.0.0"
campaign_name: backend-comparison
model: Qwen/Qwen2.5-0.5B
dataset: ai_energy_score
num_samples: 100
configs:
  - a.yaml
experiments:
  - config: a.yaml
    overrides: {batch_size: 8}
grid:
  backends: [pytorch, vllm]
  models: [gpt2, Qwen/Qwen2.5-0.5B]
  shared:
    fp_precision: [float16, bfloat16]
  backend_overrides:
    vllm: {gpu_memory_utilization: [0.45, 0.9]}
execution:
  cycles: 3
  structure: shuffled
  warmup_prompts: 0
  warmup_timeout_seconds: 12.5
  config_gap_seconds: 0
  cycle_gap_seconds: 300
health_check:
  enabled: false
  interval_experiments: 2
  gpu_memory_threshold_pct: 50
  restart_on_failure: false
  max_restarts: 0
cold_start:
  force_cold_start: true
  restart_container: yes
io:
  results_dir: out
  configs_dir: cfg
  state_dir: st
  manifest_filename: m.json
schedule: {at: "03:00", days: [mon, Wed, fri]}
daemon: {enabled: true, at: "23:59", interval: 24h, total_duration: 90m, quiet: false}
runner:
  container_strategy: persistent
  dispatch: local
  compose_file: compose.yml
  compose_command: podman compose
  lem_command: python -m lem
  experiment_timeout_seconds: 0
  stuck_after_seconds: 600
  max_retries: 10
  stop_grace_seconds: 300
`;
    const { campaign, warnings } = await load(text);
    expect(warnings).toEqual([]);
    expect(campaign).toStrictEqual({
      schema_version: '3.0.0',
      campaign_name: 'backend-comparison',
      model: 'Qwen/Qwen2.5-0.5B',
      dataset: 'ai_energy_score',
      num_samples: 100,
      configs: ['a.yaml'],
      experiments: [{ config: 'a.yaml', overrides: { batch_size: 8 } }],
      grid: {
        backends: ['pytorch', 'vllm'],
        models: ['gpt2', 'Qwen/Qwen2.5-0.5B'],
        shared: { fp_precision: ['float16', 'bfloat16'] },
        backend_overrides: { vllm: { gpu_memory_utilization: [0.45, 0.9] } },
      },
      execution: {
        cycles: 3,
        structure: 'shuffled',
        warmup_prompts: 0,
        warmup_timeout_seconds: 12.5,
        config_gap_seconds: 0,
        cycle_gap_seconds: 300,
      },
      health_check: {
        enabled: false,
        interval_experiments: 2,
        gpu_memory_threshold_pct: 50,
        restart_on_failure: false,
        max_restarts: 0,
      },
      cold_start: { force_cold_start: true, restart_container: true },
      io: { results_dir: 'out', configs_dir: 'cfg', state_dir: 'st', manifest_filename: 'm.json' },
      schedule: { at: '03:00', days: ['mon', 'wed', 'fri'] },
      daemon: { enabled: true, at: '23:59', interval: '24h', total_duration: '90m', quiet: false },
      runner: {
        container_strategy: 'persistent',
        dispatch: 'local',
        compose_file: 'compose.yml',
        compose_command: 'podman compose',
        lem_command: 'python -m lem',
        experiment_timeout_seconds: 0,
        stuck_after_seconds: 600,
        max_retries: 10,
        stop_grace_seconds: 300,
      },
    });
  });
});

describe('campaign: top-level fields', () => {
  it.each([
    ['campaign_name: ""\nconfigs: [a.yaml]\n', 'campaign.yaml:1:16 campaign_name: expected a non-empty string, got ""'],
    ['campaign_name: 42\nconfigs: [a.yaml]\n', 'campaign.yaml:1:16 campaign_name: expected a non-empty string, got 42'],
    ['campaign_name: "  "\nconfigs: [a.yaml]\n', 'campaign.yaml:1:16 campaign_name: expected a non-empty string, got "  "'],
    [`${BASE}schema_version: [3]\n`, 'campaign.yaml:3:17 schema_version: expected a version like "3.0.0", got a list'],
    [`${BASE}model: 42\n`, 'campaign.yaml:3:8 model: expected a non-empty string, got 42'],
    [`${BASE}dataset: ""\n`, 'campaign.yaml:3:10 dataset: expected a non-empty string, got ""'],
    [`${BASE}num_samples: 0\n`, 'campaign.yaml:3:14 num_samples: expected an integer >= 1, got 0'],
    [`${BASE}num_samples: 2.5\n`, 'campaign.yaml:3:14 num_samples: expected an integer >= 1, got 2.5'],
    [`${BASE}num_samples: "100"\n`, 'campaign.yaml:3:14 num_samples: expected an integer >= 1, got "100"'],
    ['campaign_name: t\nconfigs: a.yaml\n', 'campaign.yaml:2:10 configs: expected a list of config file paths, got "a.yaml"'],
    ['campaign_name: t\nconfigs: [a.yaml, 7]\n', 'campaign.yaml:2:19 configs[1]: expected a non-empty string, got 7'],
    ['campaign_name: t\nconfigs:\n', 'campaign.yaml:2:1 configs: expected a list of config file paths, got null'],
  ])('%j', async (text, expected) => {
    expect(await errorsOf(text)).toEqual([expected]);
  });

  it('reads an unquoted schema_version number as text', async () => {
    const { campaign, warnings } = await load(`schema_version: 3.0\n${BASE}`);
    expect(campaign.schema_version).toBe('3');
    expect(warnings).toEqual([]);
  });
});

// Each section field on its own line under its section (lines 3 and 4), so the
// value starts at column 2 + key + ": " + 1.
const sectionCases: [string, string, string, string][] = [
  ['execution', 'cycles', '0', 'expected an integer from 1 to 20, got 0'],
  ['execution', 'cycles', '21', 'expected an integer from 1 to 20, got 21'],
  ['execution', 'cycles', '2.5', 'expected an integer from 1 to 20, got 2.5'],
  ['execution', 'cycles', '"3"', 'expected an integer from 1 to 20, got "3"'],
  ['execution', 'structure', 'random', 'expected one of interleaved, shuffled, grouped, got "random"'],
  ['execution', 'warmup_prompts', '-1', 'expected an integer >= 0, got -1'],
  ['execution', 'warmup_timeout_seconds', '-1', 'expected a number >= 0, got -1'],
  ['execution', 'config_gap_seconds', 'x', 'expected a number >= 0, got "x"'],
  ['execution', 'config_gap_seconds', '.inf', 'expected a number >= 0, got Infinity'],
  ['execution', 'cycle_gap_seconds', '-0.5', 'expected a number >= 0, got -0.5'],
  ['health_check', 'enabled', 'maybe', 'expected true or false, got "maybe"'],
  ['health_check', 'interval_experiments', '-1', 'expected an integer >= 0, got -1'],
  ['health_check', 'gpu_memory_threshold_pct', '49', 'expected a number from 50 to 100, got 49'],
  ['health_check', 'gpu_memory_threshold_pct', '100.5', 'expected a number from 50 to 100, got 100.5'],
  ['health_check', 'restart_on_failure', '1', 'expected true or false, got 1'],
  ['health_check', 'max_restarts', '1.5', 'expected an integer >= 0, got 1.5'],
  ['cold_start', 'force_cold_start', '"x"', 'expected true or false, got "x"'],
  ['cold_start', 'restart_container', 'null', 'expected true or false, got null'],
  ['io', 'results_dir', '""', 'expected a non-empty string, got ""'],
  ['io', 'configs_dir', '5', 'expected a non-empty string, got 5'],
  ['io', 'state_dir', '[]', 'expected a non-empty string, got an empty list'],
  ['io', 'manifest_filename', 'a/b.json', 'expected a file name without a folder, got "a/b.json"'],
  ['schedule', 'at', '"25:00"', 'expected a time HH:MM from 00:00 to 23:59, got "25:00"'],
  ['schedule', 'at', '"3pm"', 'expected a time HH:MM from 00:00 to 23:59, got "3pm"'],
  ['schedule', 'days', 'mon', 'expected a non-empty list of days, got "mon"'],
  ['schedule', 'days', '[]', 'expected a non-empty list of days, got an empty list'],
  ['daemon', 'enabled', '2', 'expected true or false, got 2'],
  ['daemon', 'at', '"2:00"', 'expected a time HH:MM from 00:00 to 23:59, got "2:00"'],
  ['daemon', 'interval', '1d', 'expected a duration like 24h or 30m, got "1d"'],
  ['daemon', 'interval', '0h', 'expected a duration like 24h or 30m, got "0h"'],
  ['daemon', 'total_duration', '48', 'expected a duration like 24h or 30m, got 48'],
  ['daemon', 'total_duration', '1h30m', 'expected a duration like 24h or 30m, got "1h30m"'],
  ['daemon', 'quiet', '"loud"', 'expected true or false, got "loud"'],
  ['runner', 'container_strategy', 'docker', 'expected one of ephemeral, persistent, got "docker"'],
  ['runner', 'dispatch', 'remote', 'expected one of auto, docker, local, slurm, got "remote"'],
  ['runner', 'compose_file', '""', 'expected a non-empty string, got ""'],
  ['runner', 'compose_command', '1', 'expected a non-empty string, got 1'],
  ['runner', 'lem_command', '{}', 'expected a non-empty string, got a mapping'],
  ['runner', 'experiment_timeout_seconds', '-1', 'expected a number >= 0, got -1'],
  ['runner', 'stuck_after_seconds', '-5', 'expected a number >= 0, got -5'],
  ['runner', 'max_retries', '11', 'expected an integer from 0 to 10, got 11'],
  ['runner', 'max_retries', '-1', 'expected an integer from 0 to 10, got -1'],
  ['runner', 'stop_grace_seconds', '301', 'expected a number from 0 to 300, got 301'],
  ['runner', 'gpu_telemetry', 'on', 'expected one of auto, off, got "on"'],
  ['runner', 'gpu_telemetry_interval_ms', '50', 'expected an integer from 100 to 60000, got 50'],
  ['runner', 'cool_down', '{max_seconds: 30}', 'expected max_temperature_c or idle_power_w (the target to cool down to)'],
];

describe('campaign: section fields', () => {
  it.each(sectionCases)('%s.%s: %s', async (section, key, value, message) => {
    const text = `${BASE}${section}:\n  ${key}: ${value}\n`;
    const column = 2 + key.length + 2 + 1;
    expect(await errorsOf(text)).toEqual([`campaign.yaml:4:${column} ${section}.${key}: ${message}`]);
  });

  it('a list item is placed at the item', async () => {
    expect(await errorsOf(`${BASE}schedule:\n  days: [mon, funday]\n`)).toEqual([
      'campaign.yaml:4:15 schedule.days[1]: expected a day (one of mon, tue, wed, thu, fri, sat, sun), got "funday"',
    ]);
  });

  it.each(['execution', 'health_check', 'cold_start', 'io', 'schedule', 'daemon', 'runner'])(
    '%s must be a mapping',
    async (section) => {
      const column = section.length + 3;
      expect(await errorsOf(`${BASE}${section}: 5\n`)).toEqual([
        `campaign.yaml:3:${column} ${section}: expected a mapping, got 5`,
      ]);
      expect(await errorsOf(`${BASE}${section}:\n`)).toEqual([`campaign.yaml:3:1 ${section}: expected a mapping, got null`]);
    },
  );

  it('accepts the boundaries of every range', async () => {
    const text = `${BASE}execution: {cycles: 20, warmup_prompts: 0, warmup_timeout_seconds: 0, config_gap_seconds: 0, cycle_gap_seconds: 0}
health_check: {gpu_memory_threshold_pct: 100, interval_experiments: 0, max_restarts: 0}
runner: {max_retries: 0, stop_grace_seconds: 0, experiment_timeout_seconds: 0, stuck_after_seconds: 0}
schedule: {at: "00:00", days: [mon, tue, wed, thu, fri, sat, sun]}
daemon: {at: "23:59", interval: 1m, total_duration: 1h}
`;
    const { campaign } = await load(text);
    expect(campaign.execution.cycles).toBe(20);
    expect(campaign.health_check.gpu_memory_threshold_pct).toBe(100);
    expect(campaign.runner.max_retries).toBe(0);
    expect((await load(`${BASE}execution: {cycles: 1}\nhealth_check: {gpu_memory_threshold_pct: 50}\n`)).campaign.execution.cycles).toBe(1);
  });

  it('reads yes/no/on/off as booleans, as PyYAML does', async () => {
    const { campaign } = await load(`${BASE}health_check: {enabled: no, restart_on_failure: On}\ncold_start: {force_cold_start: YES}\n`);
    expect(campaign.health_check.enabled).toBe(false);
    expect(campaign.health_check.restart_on_failure).toBe(true);
    expect(campaign.cold_start.force_cold_start).toBe(true);
  });
});

describe('campaign: experiments', () => {
  const head = 'campaign_name: t\nexperiments:\n';
  it('reads config and overrides (default {})', async () => {
    const { campaign } = await load(`${head}  - config: a.yaml\n    overrides: {pytorch.batch_size: 4}\n  - config: a.yaml\n`);
    expect(campaign.experiments).toStrictEqual([
      { config: 'a.yaml', overrides: { 'pytorch.batch_size': 4 } },
      { config: 'a.yaml', overrides: {} },
    ]);
  });
  it.each([
    [`${head}  - overrides: {}\n`, 'campaign.yaml:3:5 experiments[0].config: missing: expected a non-empty string'],
    [`${head}  - config: ""\n`, 'campaign.yaml:3:13 experiments[0].config: expected a non-empty string, got ""'],
    [`${head}  - config: a.yaml\n    overrides: 3\n`, 'campaign.yaml:4:16 experiments[0].overrides: expected a mapping, got 3'],
    [`${head}  - a.yaml\n`, 'campaign.yaml:3:5 experiments[0]: expected a mapping, got "a.yaml"'],
    ['campaign_name: t\nexperiments: {config: a.yaml}\n', 'campaign.yaml:2:14 experiments: expected a list of experiments ({config, overrides}), got a mapping'],
  ])('%j', async (text, expected) => {
    expect(await errorsOf(text)).toEqual([expected]);
  });
});

describe('campaign: grid', () => {
  const head = 'campaign_name: t\ngrid:\n';
  it('reads a grid; shared and backend_overrides default to {}', async () => {
    const { campaign } = await load(`${head}  backends: [tensorrt]\n`);
    expect(campaign.grid).toStrictEqual({ backends: ['tensorrt'], shared: {}, backend_overrides: {} });
    expect(campaign.configs).toEqual([]);
  });
  it('accepts axes as an alias of shared', async () => {
    const { campaign, warnings } = await load(`${head}  backends: [pytorch]\n  axes:\n    fp_precision: [float16, bfloat16]\n`);
    expect(campaign.grid?.shared).toStrictEqual({ fp_precision: ['float16', 'bfloat16'] });
    expect(warnings).toEqual([]);
  });
  it.each([
    [`${head}  models: [gpt2]\n`, 'campaign.yaml:3:3 grid.backends: missing: expected a non-empty list of backends'],
    [`${head}  backends: []\n`, 'campaign.yaml:3:13 grid.backends: expected a non-empty list of backends, got an empty list'],
    [`${head}  backends: pytorch\n`, 'campaign.yaml:3:13 grid.backends: expected a non-empty list of backends, got "pytorch"'],
    [`${head}  backends: [pytorch, onnx]\n`, 'campaign.yaml:3:23 grid.backends[1]: unknown backend "onnx": expected one of pytorch, vllm, tensorrt'],
    [`${head}  backends: [3]\n`, 'campaign.yaml:3:14 grid.backends[0]: expected a backend (one of pytorch, vllm, tensorrt), got 3'],
    [`${head}  backends: [pytorch]\n  models: []\n`, 'campaign.yaml:4:11 grid.models: expected a non-empty list of model names, got an empty list'],
    [`${head}  backends: [pytorch]\n  models: [""]\n`, 'campaign.yaml:4:12 grid.models[0]: expected a non-empty string, got ""'],
    [`${head}  backends: [pytorch]\n  shared:\n    fp_precision: float16\n`, 'campaign.yaml:5:19 grid.shared.fp_precision: expected a non-empty list of values, got "float16"'],
    [`${head}  backends: [pytorch]\n  shared:\n    fp_precision: []\n`, 'campaign.yaml:5:19 grid.shared.fp_precision: expected a non-empty list of values, got an empty list'],
    [`${head}  backends: [pytorch]\n  shared: [a]\n`, 'campaign.yaml:4:11 grid.shared: expected a mapping, got a list'],
    [`${head}  backends: [pytorch]\n  axes:\n    batch_size: 4\n`, 'campaign.yaml:5:17 grid.axes.batch_size: expected a non-empty list of values, got 4'],
    [`${head}  backends: [pytorch]\n  shared: {a: [1]}\n  axes: {b: [2]}\n`, 'campaign.yaml:5:3 grid.axes: axes is an alias of shared: give one of them, not both'],
    [`${head}  backends: [pytorch]\n  backend_overrides:\n    onnx: {x: [1]}\n`, 'campaign.yaml:5:5 grid.backend_overrides.onnx: unknown backend "onnx": expected one of pytorch, vllm, tensorrt'],
    [`${head}  backends: [vllm]\n  backend_overrides:\n    vllm: {gpu_memory_utilization: 0.9}\n`, 'campaign.yaml:5:36 grid.backend_overrides.vllm.gpu_memory_utilization: expected a non-empty list of values, got 0.9'],
    [`${head}  backends: [vllm]\n  backend_overrides:\n    vllm: [0.9]\n`, 'campaign.yaml:5:11 grid.backend_overrides.vllm: expected a mapping, got a list'],
    ['campaign_name: t\ngrid: [pytorch]\n', 'campaign.yaml:2:7 grid: expected a mapping, got a list'],
  ])('%j', async (text, expected) => {
    expect(await errorsOf(text)).toEqual([expected]);
  });
  it('warns about per-backend axes of a backend the grid does not run', async () => {
    const { warnings } = await load(`${head}  backends: [pytorch]\n  backend_overrides:\n    vllm: {x: [1]}\n`);
    expect(warnings).toEqual([
      'campaign.yaml:5:5 grid.backend_overrides.vllm: vllm is not in grid.backends: these axes are not used',
    ]);
  });
});

describe('campaign: at least one experiment source', () => {
  it.each([
    'campaign_name: t\n',
    'campaign_name: t\nconfigs: []\n',
    'campaign_name: t\nconfigs: []\nexperiments: []\n',
  ])('%j is refused', async (text) => {
    expect(await errorsOf(text)).toEqual(['campaign.yaml:1:1: no experiments: give at least one of configs, experiments or grid']);
  });
  it.each([
    'campaign_name: t\nconfigs: [a.yaml]\n',
    'campaign_name: t\nexperiments: [{config: a.yaml}]\n',
    'campaign_name: t\ngrid: {backends: [pytorch]}\n',
  ])('%j is enough', async (text) => {
    await expect(load(text)).resolves.toBeDefined();
  });
});

describe('campaign: warnings', () => {
  it('unknown keys at any depth, with a guess for typos', async () => {
    const text = `${BASE}cycles: 3
execution:
  cycle: 3
runner:
  compose_fiel: x.yml
grid:
  backends: [pytorch]
  axis: {a: [1]}
experiments:
  - config: a.yaml
    override: {}
`;
    const { warnings } = await load(text);
    expect(warnings).toEqual([
      'campaign.yaml:3:1 cycles: unknown key, ignored',
      'campaign.yaml:5:3 execution.cycle: unknown key, ignored (did you mean cycles?)',
      'campaign.yaml:7:3 runner.compose_fiel: unknown key, ignored (did you mean compose_file?)',
      'campaign.yaml:10:3 grid.axis: unknown key, ignored (did you mean axes?)',
      'campaign.yaml:13:5 experiments[0].override: unknown key, ignored (did you mean overrides?)',
    ]);
  });

  it('another schema major is a warning, not an error', async () => {
    const { warnings, campaign } = await load(`schema_version: "4.0.0"\n${BASE}`);
    expect(campaign.schema_version).toBe('4.0.0');
    expect(warnings).toEqual([
      'campaign.yaml:1:17 schema_version: written for schema version "4.0.0"; lem-tui reads 3.x, reading it anyway',
    ]);
    expect((await load(`schema_version: "3.1.0"\n${BASE}`)).warnings).toEqual([]);
  });
});

describe('campaign: what a campaign is', () => {
  it('needs campaign_name', async () => {
    expect(await errorsOf('configs: [a.yaml]\n')).toEqual([
      'campaign.yaml:1:1: not a campaign: a campaign file has campaign_name at the top level',
    ]);
    expect(await errorsOf('model_name: gpt2\nbackend: pytorch\n')).toEqual([
      "campaign.yaml:1:1: not a campaign: a campaign file has campaign_name at the top level (this looks like an experiment config; name it in a campaign's configs)",
    ]);
  });

  it('reports every error of the file together, in file order', async () => {
    const text = `campaign_name: t
configs: [a.yaml, missing.yaml]
execution:
  cycles: 0
  structure: random
health_check:
  gpu_memory_threshold_pct: 10
grid:
  backends: [onnx]
`;
    expect(await errorsOf(text)).toEqual([
      'campaign.yaml:4:11 execution.cycles: expected an integer from 1 to 20, got 0',
      'campaign.yaml:5:14 execution.structure: expected one of interleaved, shuffled, grouped, got "random"',
      'campaign.yaml:7:29 health_check.gpu_memory_threshold_pct: expected a number from 50 to 100, got 10',
      'campaign.yaml:9:14 grid.backends[0]: unknown backend "onnx": expected one of pytorch, vllm, tensorrt',
      'campaign.yaml:2:19 configs[1]: config file not found: missing.yaml',
    ]);
  });
});

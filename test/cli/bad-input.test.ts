// The built CLI as a user meets it first: help, version, bad flags, bad
// campaigns, --validate-only, --dry-run, and the refusals of a run without a
// terminal. Real processes (node dist/cli.js); nothing may be written and no
// container started when the answer is exit 2.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineForTests } from '../helpers/docker.js';
import {
  containerCount,
  engineAnswers,
  LEM,
  makeCampaign,
  readManifest,
  removeCampaignDirs,
  ROOT,
  runCli,
  snapshotTree,
} from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const hasEngine = await engineAnswers();
const NO_STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at file:/m;

afterAll(() => removeCampaignDirs());

/** Runs the CLI and checks that it wrote nothing in the campaign dir and started no container. */
// The engine is shared with other test runs: count the containers of this campaign's project only.
async function runWritingNothing(campaign: { dir: string; project: string }, args: string[], env: Record<string, string> = {}) {
  const before = snapshotTree(campaign.dir);
  const containersBefore = hasEngine ? await containerCount(campaign.project) : 0;
  const r = await runCli(args, { cwd: campaign.dir, env });
  expect(snapshotTree(campaign.dir), 'nothing written').toEqual(before);
  if (hasEngine) expect(await containerCount(campaign.project), 'no container started').toBe(containersBefore);
  expect(r.stderr).not.toMatch(NO_STACK);
  expect(r.stderr).not.toContain('unexpected error');
  return r;
}

describe('lem-tui CLI: help, version, flags', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Run an llenergymeasure campaign in Docker Compose services, live in the terminal.');
    expect(r.stdout).toContain('$ lem-tui <campaign.yaml> [flags]');
    expect(r.stdout).toContain('Exit codes: 0 all completed, 1 some failed, 2 bad input or environment');
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stdout: pkg.version, stderr: '' });
  });

  it('an unknown flag: exit 2, named', async () => {
    const c = makeCampaign('basic.yaml', 'unknown');
    const r = await runWritingNothing(c, ['basic.yaml', '--bogus-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--bogus-flag');
    expect(r.stderr).toMatch(/unknown flag/i);
  });

  it('bad flag values: exit 2, one message per flag, nothing started', async () => {
    const c = makeCampaign('basic.yaml', 'badflags');
    const r = await runWritingNothing(c, [
      'basic.yaml',
      '--cycles',
      '0',
      '--structure',
      'random',
      '--dispatch',
      'cloud',
      '--container-strategy',
      'forever',
      '--seed',
      'x',
      '--experiment-timeout',
      '-1',
      '--stuck-after',
      '1.5',
      '--gpu-telemetry',
      'maybe',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').sort()).toEqual(
      [
        'lem-tui: --container-strategy: expected one of ephemeral, persistent, got "forever"',
        'lem-tui: --dispatch: expected one of auto, docker, local, slurm, got "cloud"',
        'lem-tui: --seed: expected an integer from 0 to 4294967295, got "x"',
        'lem-tui: --cycles: expected an integer from 1 to 20, got "0"',
        'lem-tui: --structure: expected one of interleaved, shuffled, grouped, got "random"',
        'lem-tui: --experiment-timeout: expected an integer from 0 to 604800, got "-1"',
        'lem-tui: --stuck-after: expected an integer from 0 to 86400, got "1.5"',
        'lem-tui: --gpu-telemetry: expected one of auto, off, got "maybe"',
        'Run lem-tui --help for usage.',
      ].sort(),
    );
  });

  it('no campaign file, or two: exit 2 with the usage line', async () => {
    for (const args of [[], ['a.yaml', 'b.yaml']]) {
      const r = await runCli(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`lem-tui: expected one campaign file, got ${args.length}: lem-tui <campaign.yaml> [flags]`);
    }
  });

  it('--dry-run with --validate-only: exit 2', async () => {
    const c = makeCampaign('basic.yaml', 'dryval');
    const r = await runWritingNothing(c, ['basic.yaml', '--dry-run', '--validate-only']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('lem-tui: --dry-run and --validate-only: choose one');
  });
});

describe('lem-tui CLI: bad campaigns', () => {
  it('a campaign with errors: every problem as file:line:col path: message, exit 2, nothing written', async () => {
    const c = makeCampaign('errors.yaml', 'errors');
    for (const extra of [[], ['--dispatch', 'local', '--lem-command', LEM], ['--dry-run'], ['--validate-only']]) {
      const r = await runWritingNothing(c, ['errors.yaml', ...extra]);
      expect(r.exitCode, extra.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual(
        [
          'errors.yaml:6:5 configs[1]: config file not found: configs/not_there.yaml',
          'errors.yaml:8:11 execution.cycles: expected an integer from 1 to 20, got 0',
          'errors.yaml:9:14 execution.structure: expected one of interleaved, shuffled, grouped, got "random"',
          'errors.yaml:10:23 execution.config_gap_seconds: expected a number >= 0, got -1',
        ].sort(),
      );
    }
    expect(fs.existsSync(path.join(c.dir, '.state'))).toBe(false);
    expect(fs.existsSync(path.join(c.dir, 'results'))).toBe(false);
  });

  it('a broken experiment config: its own file:line:col, then where the campaign names it; a folder is said to be one', async () => {
    const c = makeCampaign('bad-configs.yaml', 'bad-configs');
    for (const extra of [[], ['--dry-run'], ['--validate-only']]) {
      const r = await runWritingNothing(c, ['bad-configs.yaml', ...extra]);
      expect(r.exitCode, extra.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toEqual([
        'configs: is a folder, not an experiment config: list each config file in the campaign (referenced from bad-configs.yaml:6:5 configs[1])',
        'configs/onnx_backend.yaml:3:10 backend: unknown backend "onnx": expected one of pytorch, vllm, tensorrt (referenced from bad-configs.yaml:7:5 configs[2])',
        'configs/not_yaml.yaml:2:10: invalid YAML: Nested mappings are not allowed in compact mappings (referenced from bad-configs.yaml:9:13 experiments[0].config)',
      ]);
    }
  });

  it('a campaign file given by a path elsewhere is shown as the user typed it', async () => {
    const c = makeCampaign('errors.yaml', 'errors-abs');
    const r = await runCli([c.file], { cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${c.file}:8:11 execution.cycles: expected an integer from 1 to 20, got 0`);
    expect(fs.existsSync(path.join(c.dir, '.state'))).toBe(false);
  });

  it('a missing campaign file: exit 2, named, no stack', async () => {
    const c = makeCampaign('basic.yaml', 'missing');
    const r = await runWritingNothing(c, ['nothere.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('nothere.yaml: file not found');
  });

  it('--validate-only: a good campaign exits 0 with a summary; nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'valid');
    const r = await runWritingNothing(c, ['basic.yaml', '--validate-only']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('basic.yaml: valid — 2 configs × 2 cycles = 4 experiments on pytorch, vllm');
    expect(r.stderr).toBe('');
  });

  it('--validate-only: a config the harness would reject exits 2 and names it', async () => {
    const c = makeCampaign('reject.yaml', 'reject');
    const r = await runWritingNothing(c, ['reject.yaml', '--validate-only']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('reject.yaml: config "pytorch_fp8": fp_precision: expected one of float32, float16, bfloat16, got "fp8"');
  });
});

describe('lem-tui CLI: a bad environment', () => {
  it('a harness that is not there (local dispatch): exit 2, named, with a hint; nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'no-harness');
    const r = await runWritingNothing(c, ['basic.yaml', '--dispatch', 'local', '--lem-command', '/nonexistent/lem', '--no-tui']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'lem-tui: the harness "/nonexistent/lem" is not on this host',
      'hint: install lem, or point --lem-command (or runner.lem_command) at it',
    ]);
  });

  it('a compose file that is not there (docker dispatch): exit 2 with one message and a hint; nothing written, no container', async () => {
    const c = makeCampaign('basic.yaml', 'no-compose');
    const r = await runWritingNothing(c, ['basic.yaml', '--dispatch', 'docker', '--compose-file', 'nothere.yml', '--no-tui']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    // Without an engine the first problem found is the engine; either way one message and a hint.
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^lem-tui: /);
    expect(lines[1]).toMatch(/^hint: /);
    if (hasEngine) expect(lines[0]).toBe(`lem-tui: Compose file not found: ${path.join(c.dir, 'nothere.yml')}`);
  });
});

describe('lem-tui CLI: --dry-run', () => {
  const SECRET = 'secret-value';
  const envLine = (id: string, name: string, cycle: number, mask = true) =>
    [
      `LEM_CAMPAIGN_ID=${id}`,
      `LEM_CAMPAIGN_NAME=${name}`,
      `LEM_CYCLE=${cycle}`,
      'LEM_TOTAL_CYCLES=2',
      'LLM_ENERGY_VERBOSITY=normal',
      `PUID=${process.getuid!()}`,
      `PGID=${process.getgid!()}`,
      ...(mask ? ['HF_TOKEN=***'] : []),
    ];
  const ORDER: [string, number, string][] = [
    ['0001', 1, 'pytorch'],
    ['0002', 1, 'vllm'],
    ['0003', 2, 'pytorch'],
    ['0004', 2, 'vllm'],
  ];

  it('local: the ordered plan with the exact argv, HF_TOKEN masked, nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'dry-local');
    const r = await runWritingNothing(c, ['basic.yaml', '--dry-run', '--dispatch', 'local', '--lem-command', LEM], { HF_TOKEN: SECRET });
    expect(r.exitCode).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Campaign ${c.name} (id ${c.id}): 4 experiments = 2 configs × 2 cycles, interleaved`);
    expect(lines).toContain('Dispatch: local (--dispatch local)');
    const commands = lines.filter((l) => l.startsWith('        $ ')).map((l) => l.slice(10));
    expect(commands).toEqual(
      ORDER.map(([id, cycle]) =>
        [
          'env',
          ...envLine(c.id, c.name, cycle),
          LEM,
          'experiment',
          path.join(c.dir, 'configs_runtime', `_campaign_${id}.yaml`),
          '--yes',
          '--fresh',
          '--results-dir',
          path.join(c.dir, 'results'),
        ].join(' '),
      ),
    );
    // The plan lines, in execution order.
    const planned = lines.filter((l) => /^ {2}\d{4} /.test(l)).map((l) => l.trim().split(/\s+/));
    expect(planned.map((p) => [p[0], p[2], p[3]])).toEqual([
      ['0001', '1/2', 'pytorch_quick'],
      ['0002', '1/2', 'vllm_quick'],
      ['0003', '2/2', 'pytorch_quick'],
      ['0004', '2/2', 'vllm_quick'],
    ]);
    expect(lines).toContain('Dry run: nothing was started and nothing was written.');
  });

  it('docker ephemeral: compose run --rm per experiment, down once after; HF_TOKEN masked; nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'dry-eph');
    const r = await runWritingNothing(c, ['basic.yaml', '--dry-run', '--dispatch', 'docker', '--compose-command', 'docker-compose'], {
      HF_TOKEN: SECRET,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const compose = `docker-compose -p ${c.project} -f ${path.join(c.dir, 'docker-compose.yml')}`;
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Strategy: ephemeral (the default)');
    expect(lines.filter((l) => l.startsWith('        $ ')).map((l) => l.slice(10))).toEqual(
      ORDER.map(([id, cycle, service]) =>
        [
          compose,
          'run --rm -T',
          `--name ${c.project}-run-${id}-1`,
          ...envLine(c.id, c.name, cycle).map((kv) => `-e ${kv}`),
          service,
          `lem experiment /app/configs/_campaign_${id}.yaml --yes --fresh --results-dir /app/results`,
        ].join(' '),
      ),
    );
    expect(lines.filter((l) => l.startsWith('once '))).toEqual([`once after: $ ${compose} down --remove-orphans -t 1`]);
  });

  it('docker persistent: up -d once with the keep-alive override, exec per experiment, down once; nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'dry-pers');
    const r = await runWritingNothing(
      c,
      ['basic.yaml', '--dry-run', '--dispatch', 'docker', '--container-strategy', 'persistent', '--compose-command', 'docker-compose'],
      { HF_TOKEN: SECRET },
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const compose = `docker-compose -p ${c.project} -f ${path.join(c.dir, 'docker-compose.yml')}`;
    const withOverride = `${compose} -f ${path.join(c.dir, '.state', 'compose', `${c.project}.override.yml`)}`;
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Strategy: persistent (from --container-strategy)');
    expect(lines.filter((l) => l.startsWith('once '))).toEqual([
      `once before: $ ${withOverride} up -d pytorch vllm`,
      `once after: $ ${withOverride} down --remove-orphans -t 1`,
    ]);
    expect(lines.filter((l) => l.startsWith('        $ ')).map((l) => l.slice(10))).toEqual(
      ORDER.map(([id, cycle, service]) =>
        [
          withOverride,
          'exec -T',
          ...envLine(c.id, c.name, cycle).map((kv) => `-e ${kv}`),
          service,
          `lem experiment /app/configs/_campaign_${id}.yaml --yes --fresh --results-dir /app/results`,
        ].join(' '),
      ),
    );
  });
});

describe('lem-tui CLI: no terminal to ask in', () => {
  it('an existing manifest without --resume or --no-resume: exit 2 naming both; the manifest keeps its bytes', async () => {
    const c = makeCampaign('basic.yaml', 'ask-resume', { 'execution.cycles': 1 });
    const first = await runCli([c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui'], { cwd: c.dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const bytes = fs.readFileSync(c.manifestPath);
    expect(readManifest(c).experiments.every((e) => e.status === 'completed')).toBe(true);

    const r = await runWritingNothing(c, [c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--resume');
    expect(r.stderr).toContain('--no-resume');
    expect(r.stderr).toMatch(/a manifest of an earlier run exists \(\.state\/campaign_manifest\.json, 2\/2 completed\)/);
    expect(fs.readFileSync(c.manifestPath).equals(bytes)).toBe(true);
    expect(fs.existsSync(path.join(c.dir, '.state', 'lem-tui.lock')), 'the run lock is released').toBe(false);
  });

  it('a campaign file changed since the manifest: --resume without --yes exits 2 naming --yes and --no-resume; the manifest keeps its bytes', async () => {
    const c = makeCampaign('basic.yaml', 'changed', { 'execution.cycles': 1 });
    const first = await runCli([c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui'], { cwd: c.dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const bytes = fs.readFileSync(c.manifestPath);
    fs.appendFileSync(c.file, '# edited\n');
    const r = await runWritingNothing(c, [c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui', '--resume']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('lem-tui: the campaign file changed since the manifest was written');
    expect(r.stderr).toContain('--yes');
    expect(r.stderr).toContain('--no-resume');
    expect(fs.readFileSync(c.manifestPath).equals(bytes)).toBe(true);
  });
});

describe('lem-tui CLI: an unreadable manifest', () => {
  it('without --no-resume: exit 2, named, with the hint; with --no-resume: moved aside (kept) and the campaign runs', async () => {
    const c = makeCampaign('basic.yaml', 'bad-manifest', { 'execution.cycles': 1 });
    fs.mkdirSync(path.dirname(c.manifestPath), { recursive: true });
    fs.writeFileSync(c.manifestPath, '{"campaign_id": ');
    for (const flag of [[], ['--resume'], ['--yes']]) {
      const r = await runWritingNothing(c, [c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui', ...flag]);
      expect(r.exitCode, flag.join(' ')).toBe(2);
      expect(r.stderr).toContain('lem-tui: the manifest .state/campaign_manifest.json cannot be read');
      expect(r.stderr).toContain('hint: fix or move the file; --no-resume moves it aside and starts over');
    }
    // The hint holds: --no-resume moves the unreadable file aside and starts over.
    const r = await runCli([c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui', '--no-resume'], { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const archived = fs.readdirSync(path.dirname(c.manifestPath)).filter((n) => /^campaign_manifest\..+\.json$/.test(n));
    expect(archived).toHaveLength(1);
    expect(fs.readFileSync(path.join(path.dirname(c.manifestPath), archived[0]!), 'utf8')).toBe('{"campaign_id": ');
    expect(readManifest(c).experiments.map((e) => e.status)).toEqual(['completed', 'completed']);
  });
});

// Needs the engine: persistent docker dispatch is preflighted before the question.
const engine = await engineForTests();
describe.runIf(engine)('lem-tui CLI: persistent mode without a terminal (engine)', () => {
  it('without --yes: exit 2 naming --yes; nothing written, no container', async () => {
    const c = makeCampaign('basic.yaml', 'pers-noyes');
    const r = await runWritingNothing(c, ['basic.yaml', '--dispatch', 'docker', '--container-strategy', 'persistent', '--no-tui']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('lem-tui: persistent mode needs a confirmation, and there is no terminal to ask in');
    expect(r.stderr).toContain('--yes');
  });
});

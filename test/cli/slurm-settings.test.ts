// runner.slurm and the --slurm-* flags as a user meets them through the built
// CLI: the help, bad flag values and bad runner.slurm fields (exit 2, file and
// line, no stack, nothing written), and the one --dry-run line that shows the
// resolved Slurm settings with --dispatch slurm (and only then).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, removeCampaignDirs, runCli, snapshotTree } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const NO_STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at file:/m;
const slurmLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('Slurm:'));

describe('--slurm-* flags', () => {
  it('--help names them and the slurm dispatch mode', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('--dispatch auto|docker|local|slurm');
    expect(r.stdout).toMatch(/--slurm-partition P {2,}the Slurm partition/);
    expect(r.stdout).toMatch(/--slurm-max-jobs N {2,}Slurm jobs queued or running at once/);
  });

  it('bad values: exit 2, one line per flag, nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'slurm-badflags');
    const before = snapshotTree(c.dir);
    for (const [args, message] of [
      [['--slurm-max-jobs', '0'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got "0"'],
      [['--slurm-max-jobs', 'four'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got "four"'],
      [['--slurm-max-jobs', '2.5'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got "2.5"'],
      // Other number forms JavaScript would take: decimal digits only.
      [['--slurm-max-jobs', '1e3'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got "1e3"'],
      [['--slurm-max-jobs', '0x10'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got "0x10"'],
      [['--slurm-max-jobs', '4.0'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got "4.0"'],
      [['--slurm-max-jobs', ' 4'], 'lem-tui: --slurm-max-jobs: expected an integer from 1 to 1000, got " 4"'],
      [['--cycles', '1e1'], 'lem-tui: --cycles: expected an integer from 1 to 20, got "1e1"'],
      [['--seed', '+7'], 'lem-tui: --seed: expected an integer from 0 to 4294967295, got "+7"'],
      [['--experiment-timeout', '0b11'], 'lem-tui: --experiment-timeout: expected an integer from 0 to 604800, got "0b11"'],
      [['--slurm-partition', ' '], 'lem-tui: --slurm-partition: expected a non-empty value'],
    ] as const) {
      const r = await runCli([c.file, '--dispatch', 'slurm', '--dry-run', ...args], { cwd: c.dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toEqual([message, 'Run lem-tui --help for usage.']);
    }
    expect(snapshotTree(c.dir)).toEqual(before);
  });
});

describe('runner.slurm through the CLI', () => {
  it('a bad field in the campaign: file:line:col, what was expected, exit 2, no stack, nothing written', async () => {
    const c = makeCampaign('basic.yaml', 'slurm-badyaml', {
      'runner.slurm': { time_limit: '1h', gres: ' ', sbatch_args: '--account proj1' },
    });
    const before = snapshotTree(c.dir);
    for (const extra of [['--dry-run'], ['--validate-only'], ['--no-tui', '--yes']]) {
      const r = await runCli([path.basename(c.file), '--dispatch', 'slurm', ...extra], { cwd: c.dir });
      expect(r.exitCode, extra.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(NO_STACK);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^basic\.yaml:\d+:\d+ runner\.slurm\.time_limit: expected a Slurm time limit \(minutes, .*\), got "1h"$/);
      expect(lines[1]).toMatch(/^basic\.yaml:\d+:\d+ runner\.slurm\.gres: expected a generic resource as Slurm takes it, e\.g\. gpu:1 or gpu:a100:2/);
      expect(lines[2]).toMatch(/^basic\.yaml:\d+:\d+ runner\.slurm\.sbatch_args: expected a list of arguments, e\.g\. \[--account, proj1\], got "--account proj1"$/);
    }
    expect(snapshotTree(c.dir)).toEqual(before);
  });

  it('a bad field in .lem-config.yaml: its own file and line', async () => {
    const c = makeCampaign('basic.yaml', 'slurm-baduser');
    fs.writeFileSync(path.join(c.dir, '.lem-config.yaml'), 'runner:\n  slurm:\n    max_jobs: 0\n');
    const r = await runCli([path.basename(c.file), '--dry-run'], { cwd: c.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('.lem-config.yaml:3:15 runner.slurm.max_jobs: expected an integer from 1 to 1000, got 0');
  });

  it('--dry-run --dispatch slurm: one line with the settings, each field from its own level', async () => {
    const c = makeCampaign('basic.yaml', 'slurm-dry', { 'runner.slurm': { max_jobs: 6, time_limit: 90 } });
    fs.writeFileSync(
      path.join(c.dir, '.lem-config.yaml'),
      'runner:\n  slurm:\n    partition: a100\n    gres: gpu:a100:1\n    max_jobs: 2\n    sbatch_args: [--account, lab 1]\n',
    );
    const args = [path.basename(c.file), '--dry-run', '--dispatch', 'slurm', '--lem-command', LEM];
    // The caller's CUDA_VISIBLE_DEVICES is not the job's: Slurm sets it.
    const fromFiles = await runCli(args, { cwd: c.dir, env: { CUDA_VISIBLE_DEVICES: '3' } });
    expect(fromFiles.exitCode, fromFiles.stderr).toBe(0);
    expect(slurmLines(fromFiles.stdout)).toEqual([
      "Slurm: partition a100, gres gpu:a100:1, up to 6 jobs at once, time limit 90, container none, extra arguments --account 'lab 1'",
    ]);
    // Each experiment's exact srun line: the campaign's environment, then srun with every setting, then the harness.
    const srun = fromFiles.stdout.split('\n').filter((l) => l.includes(' srun '));
    expect(srun).toHaveLength(4);
    expect(srun[0]).toContain(
      `srun --job-name=${c.project}-0001 --ntasks=1 --partition=a100 --gres=gpu:a100:1 --time=90 --account 'lab 1' ${LEM} experiment`,
    );
    expect(srun[0]).toMatch(/\$ env LEM_CAMPAIGN_ID=\S+ .* srun /);
    expect(srun[0]).not.toContain('CUDA_VISIBLE_DEVICES');
    const withFlags = await runCli([...args, '--slurm-partition', 'debug', '--slurm-max-jobs', '1'], { cwd: c.dir });
    expect(withFlags.exitCode, withFlags.stderr).toBe(0);
    expect(slurmLines(withFlags.stdout)).toEqual([
      "Slurm: partition debug, gres gpu:a100:1, up to 1 job at once, time limit 90, container none, extra arguments --account 'lab 1'",
    ]);
  });

  it('--dry-run: the defaults say so; no Slurm line without slurm dispatch', async () => {
    const c = makeCampaign('basic.yaml', 'slurm-dry-default');
    const slurmRun = await runCli([path.basename(c.file), '--dry-run', '--dispatch', 'slurm', '--lem-command', LEM], { cwd: c.dir });
    expect(slurmRun.exitCode, slurmRun.stderr).toBe(0);
    expect(slurmLines(slurmRun.stdout)).toEqual([
      "Slurm: the cluster's default partition, gres gpu:1, up to 4 jobs at once, the partition's time limit, container none",
    ]);
    const local = await runCli([path.basename(c.file), '--dry-run', '--dispatch', 'local', '--lem-command', LEM, '--slurm-partition', 'x'], {
      cwd: c.dir,
    });
    expect(local.exitCode, local.stderr).toBe(0);
    expect(slurmLines(local.stdout)).toEqual([]);
  });
});

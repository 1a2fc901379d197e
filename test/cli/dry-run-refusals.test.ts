// --dry-run and the run share one set-up (dispatch/setUp.ts): every
// combination the run refuses before it starts anything, the dry run refuses
// too, with the same words and exit 2. Each case runs the built CLI in both
// modes, with the stand-in nvidia-smi (four GPUs), and compares them; the
// expected words pin that both refuse for the right reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, removeCampaignDirs, runCli } from '../helpers/cli.js';
import { PATH_WITHOUT_SMI, standInGpus } from '../helpers/gpus.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const local = ['--dispatch', 'local', '--lem-command', LEM];
const NO_STACK = /^\s+at /m;

interface Refusal {
  name: string;
  /** Fields set in the campaign file (dotted paths). */
  edit?: Record<string, unknown>;
  args: string[];
  env?: () => Record<string, string>;
  /** What the refusal says (a line of stderr, a regular expression for one with a file place). */
  says: string | RegExp;
}

const REFUSALS: Refusal[] = [
  {
    name: '--dispatch slurm with --gpus',
    args: ['--dispatch', 'slurm', '--gpus', '0'],
    says: 'lem-tui: --gpus (runner.gpus) does not apply to --dispatch slurm: Slurm gives each job its GPUs',
  },
  {
    name: '--dispatch slurm with --gpus naming a GPU the host lacks (Slurm refuses first)',
    args: ['--dispatch', 'slurm', '--gpus', '7'],
    says: 'lem-tui: --gpus (runner.gpus) does not apply to --dispatch slurm: Slurm gives each job its GPUs',
  },
  {
    name: 'dispatch: slurm with runner.gpus in the campaign file',
    edit: { 'runner.dispatch': 'slurm', 'runner.gpus': '0,1' },
    args: [],
    says: /^basic\.yaml:\d+:\d+ runner\.gpus: does not apply to --dispatch slurm: Slurm gives each job its GPUs/m,
  },
  {
    name: '--gpus naming a GPU the host lacks',
    args: [...local, '--gpus', '0,7'],
    says: 'lem-tui: --gpus: no GPU 7 (nvidia-smi -L lists 0, 1, 2, 3)',
  },
  {
    name: 'runner.gpus naming a GPU the host lacks',
    edit: { 'runner.gpus': '0,9' },
    args: local,
    says: /^basic\.yaml:\d+:\d+ runner\.gpus: no GPU 9 \(nvidia-smi -L lists 0, 1, 2, 3\)$/m,
  },
  {
    name: 'gpus_per_experiment above the GPUs given',
    edit: { 'runner.gpus_per_experiment': 2 },
    args: [...local, '--gpus', '3'],
    says: /^basic\.yaml:\d+:\d+ runner\.gpus_per_experiment: 2 GPUs per experiment, but --gpus gives 1 GPU \(3\)/m,
  },
  {
    name: '--gpus all without nvidia-smi',
    args: [...local, '--gpus', 'all'],
    env: () => ({ PATH: PATH_WITHOUT_SMI }),
    says: 'lem-tui: --gpus all needs nvidia-smi to list the GPUs, and nvidia-smi is not found',
  },
];

describe('--dry-run refuses what the run refuses', () => {
  for (const refusal of REFUSALS) {
    it(`${refusal.name}: exit 2, the same words in both modes, nothing written`, async () => {
      const c = makeCampaign('basic.yaml', 'refusal', refusal.edit);
      const env = refusal.env?.() ?? standInGpus(4);
      const run = await runCli([path.basename(c.file), ...refusal.args, '--no-tui', '--yes'], { cwd: c.dir, env });
      const dry = await runCli([path.basename(c.file), ...refusal.args, '--dry-run'], { cwd: c.dir, env });
      expect(run.exitCode, run.stderr + run.stdout).toBe(2);
      if (typeof refusal.says === 'string') expect(run.stderr.split('\n')).toContain(refusal.says);
      else expect(run.stderr).toMatch(refusal.says);
      expect(run.stderr).not.toMatch(NO_STACK);
      expect({ exitCode: dry.exitCode, stderr: dry.stderr, stdout: dry.stdout }).toEqual({ exitCode: 2, stderr: run.stderr, stdout: '' });
      expect(fs.existsSync(c.manifestPath)).toBe(false);
      expect(fs.existsSync(c.resultsDir)).toBe(false);
    });
  }
});

// A Slurm request the cluster refuses is bad input: before the first job,
// one `srun --test-only` with the campaign's partition, gres, time and
// sbatch_args, and a refusal is exit 2 with Slurm's own reason and where the
// request was set; nothing is submitted. A request the cluster could take
// while its node is drained is not refused: the jobs wait. And 16 slots
// (--slurm-max-jobs 16) print no Node warning. The real single-node cluster
// of scripts/start-slurm.sh (two GPUs as gres) and the built CLI.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, expectCompletedOnce, removeCampaignDirs, runCli, startCli, type Campaign } from '../helpers/cli.js';
import { activeJobs, campaignJobs, slurmCampaign } from '../helpers/slurmCampaign.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { slurm, slurmForTests, waitFor } from '../helpers/slurm.js';

const cluster = await slurmForTests();

const SLURM = ['--dispatch', 'slurm', '--lem-command', LEM, '--no-tui', '--yes'];
const NO_STACK = /\n\s+at /;

describe.runIf(cluster)('the Slurm request, tried before the first job (real cluster)', () => {
  allowRealProcessTime();
  const campaigns: Campaign[] = [];
  const track = (c: Campaign) => (campaigns.push(c), c);
  afterAll(async () => {
    for (const c of campaigns) {
      const left = (await activeJobs(c)).map(([id]) => id);
      if (left.length) await slurm(['scancel', ...left]);
    }
    removeCampaignDirs();
  }, 60_000);

  it.each([
    [{ gres: 'gpu:3' }, 'Requested node configuration is not available', /basic\.yaml:\d+:\d+ runner\.slurm\.gres gpu:3/],
    [{ gres: 'fpga:1' }, 'Invalid generic resource (gres) specification', /basic\.yaml:\d+:\d+ runner\.slurm\.gres fpga:1/],
    [{ sbatch_args: ['--no-such-option'] }, "unrecognized option '--no-such-option'", /basic\.yaml:\d+:\d+ runner\.slurm\.sbatch_args \[--no-such-option\]/],
  ])('%j: exit 2 with Slurm\'s reason and the setting\'s place; nothing submitted', async (request, reason, place) => {
    const c = track(slurmCampaign('refused', { pytorch_a: 'duration_seconds: 1' }, { 'execution.cycles': 1, 'runner.slurm': request }));
    const r = await runCli([c.file, ...SLURM], { cwd: c.dir });
    expect(r.exitCode, r.stderr + r.stdout).toBe(2);
    const [first, hint] = r.stderr.split('\n');
    expect(first).toContain(`lem-tui: Slurm refuses this campaign's jobs: ${reason} (srun --test-only; nothing was submitted)`);
    expect(first).toMatch(place);
    expect(hint).toMatch(/^hint: /);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(fs.existsSync(c.manifestPath), 'no manifest').toBe(false);
    expect((await campaignJobs(c)).size, 'no job submitted').toBe(0);
  });

  it('gres gpu:-1 is refused by validation: file:line:col, exit 2', async () => {
    const c = track(slurmCampaign('negative', { pytorch_a: 'duration_seconds: 1' }, { 'execution.cycles': 1, 'runner.slurm': { gres: 'gpu:-1' } }));
    for (const extra of [['--validate-only'], []]) {
      const r = await runCli([c.file, ...SLURM, ...extra], { cwd: c.dir });
      expect(r.exitCode, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/basic\.yaml:\d+:\d+ runner\.slurm\.gres: expected a generic resource as Slurm takes it.*got "gpu:-1"/);
    }
    expect((await campaignJobs(c)).size).toBe(0);
  });

  it('a request the node could take while it is drained: a notice, the jobs wait, and run once it is back', async () => {
    const c = track(slurmCampaign('drained', { pytorch_a: 'duration_seconds: 1' }, { 'execution.cycles': 1 }));
    const node = (await slurm(['sinfo', '--noheader', '--format=%N'])).stdout.trim();
    await slurm(['scontrol', 'update', `nodename=${node}`, 'state=drain', 'reason=lem-tui drained-preflight test']);
    let cli: ReturnType<typeof startCli> | null = null;
    try {
      cli = startCli([c.file, ...SLURM, '--json'], { cwd: c.dir });
      const notice = await cli.waitFor((e) => e.type === 'notice' && String(e.message).startsWith('Slurm cannot place'), 30_000);
      expect(notice.message).toContain('Requested node configuration is not available');
      await waitFor('the job PENDING', async () => ((await activeJobs(c)).some(([, j]) => j.state === 'PENDING') ? true : undefined));
    } finally {
      await slurm(['scontrol', 'update', `nodename=${node}`, 'state=resume']);
    }
    const done = await cli!.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expectCompletedOnce(c, 1);
  });

  it('--slurm-max-jobs 16: no Node warning on stderr', async () => {
    // Two cycles: the slots with nothing to run wait for the next cycle, each listening to the campaign's signal.
    const c = track(slurmCampaign('sixteen', { pytorch_a: 'duration_seconds: 0', vllm_b: 'duration_seconds: 0' }, { 'execution.cycles': 2 }));
    const r = await runCli([c.file, ...SLURM, '--slurm-max-jobs', '16'], { cwd: c.dir });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toBe('');
    expectCompletedOnce(c, 4);
  });
});

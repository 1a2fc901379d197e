// --dispatch slurm end to end on the real single-node cluster of
// scripts/start-slurm.sh (two GPUs as generic resources, two CPUs): the
// built CLI submits every experiment as an srun job, the stand-in harness
// runs on the node and records what Slurm gave it (CUDA_VISIBLE_DEVICES, its
// clock). Faults are real: signals to lem-tui, SIGKILL, scancel from
// outside, a job over its time limit, a harness that fails.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, expectCompletedOnce, readManifest, removeCampaignDirs, runCli, sleep, startCli, type Campaign } from '../helpers/cli.js';
import { activeJobs, campaignJobs, slurmCampaign, waitRunning } from '../helpers/slurmCampaign.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { slurm, slurmForTests, waitFor } from '../helpers/slurm.js';
import { mostAtOnce, readHarnessRecords, sharedGpuOverlaps } from '../../bench/harnessRecords.mjs';

const cluster = await slurmForTests();

const SLURM = ['--dispatch', 'slurm', '--lem-command', LEM, '--no-tui', '--yes'];

describe.runIf(cluster)('--dispatch slurm (real single-node cluster)', () => {
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

  it('6 experiments, --slurm-max-jobs 2: two jobs at a time on different GPUs; SIGINT cancels them, --resume completes each exactly once', async () => {
    const c = track(slurmCampaign('sigint', { pytorch_a: 'duration_seconds: 4', vllm_b: 'duration_seconds: 4' }, { 'execution.cycles': 3 }));
    const cli = startCli([c.file, ...SLURM, '--json', '--slurm-max-jobs', '2'], { cwd: c.dir });
    await cli.waitFor((e) => e.type === 'experiment.finished', 60_000);
    await waitRunning(c, 2);
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(await activeJobs(c)).toEqual([]);
    const saved = readManifest(c).experiments;
    expect(saved.filter((e) => e.status === 'completed').length).toBeGreaterThanOrEqual(1);
    expect(saved.some((e) => e.status === 'pending')).toBe(true);

    const resumed = await runCli([c.file, ...SLURM, '--resume', '--slurm-max-jobs', '2'], { cwd: c.dir, timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr + resumed.stdout).toBe(0);
    expectCompletedOnce(c, 6);
    const records = readHarnessRecords(c.resultsDir);
    expect(records).toHaveLength(6);
    // Slurm chose the GPUs: one of the two each, never the same one for two overlapping jobs.
    expect(new Set(records.map((r) => r.cudaVisibleDevices))).toEqual(new Set(['0', '1']));
    expect(sharedGpuOverlaps(records)).toEqual([]);
    expect(mostAtOnce(records)).toBe(2);
    expect(await activeJobs(c)).toEqual([]);
  });

  it('more jobs than GPUs: the third waits PENDING (Resources) in Slurm, then runs; its time limit counts from its start, not its submission', async () => {
    // Each runs ≥ 6 s; the third waits ≥ 6 s first: from submission it is over the 12 s limit, from its start it is not.
    const six = 'duration_seconds: 6';
    const c = track(
      slurmCampaign('pending', { pytorch_a: six, vllm_b: six, pytorch_c: six }, { 'execution.cycles': 1, 'runner.experiment_timeout_seconds': 12, 'runner.max_retries': 0 }),
    );
    const cli = startCli([c.file, ...SLURM, '--json', '--slurm-max-jobs', '3'], { cwd: c.dir });
    const pending = await waitFor('a PENDING job', async () => (await activeJobs(c)).find(([, j]) => j.state === 'PENDING')?.[1], 60_000);
    expect(pending.reason).toBe('Resources');
    const done = await cli.done;
    expect(done.exitCode, done.stderr + JSON.stringify(readManifest(c).experiments.map((e) => e.error))).toBe(0);
    const records = readHarnessRecords(c.resultsDir);
    expect(records).toHaveLength(3);
    expect(sharedGpuOverlaps(records)).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('%s: every job of the campaign cancelled, manifest saved, exit 130', async (signal) => {
    const c = track(slurmCampaign(signal.toLowerCase(), { pytorch_a: 'duration_seconds: 30', vllm_b: 'duration_seconds: 30' }, { 'execution.cycles': 1 }));
    const cli = startCli([c.file, ...SLURM, '--json', '--slurm-max-jobs', '2'], { cwd: c.dir });
    await waitRunning(c, 2);
    process.kill(cli.pid, signal);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(await activeJobs(c)).toEqual([]);
    expect(readManifest(c).experiments.map((e) => e.status)).toEqual(['pending', 'pending']);
  });

  it('SIGKILL of lem-tui: the next start finds its jobs by name; without --yes exit 2, nothing submitted; with --yes they are cancelled first, nothing runs twice', async () => {
    const c = track(slurmCampaign('sigkill', { pytorch_a: 'duration_seconds: 8', vllm_b: 'duration_seconds: 8' }, { 'execution.cycles': 1 }));
    const cli = startCli([c.file, ...SLURM, '--json', '--slurm-max-jobs', '2'], { cwd: c.dir });
    const orphans = await waitRunning(c, 2);
    process.kill(cli.pid, 'SIGKILL');
    await cli.done;
    expect((await activeJobs(c)).map(([id]) => id).sort()).toEqual(orphans.sort());

    const refused = await runCli([c.file, '--dispatch', 'slurm', '--lem-command', LEM, '--no-tui', '--resume'], { cwd: c.dir });
    expect(refused.exitCode, refused.stdout).toBe(2);
    expect(refused.stderr).toMatch(/2 Slurm jobs of this campaign from an earlier run are still queued or running/);
    expect(refused.stderr).toContain(`scancel ${orphans[0]}`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect((await campaignJobs(c)).size).toBe(2); // nothing new submitted

    const resumed = await runCli([c.file, ...SLURM, '--json', '--resume', '--slurm-max-jobs', '2'], { cwd: c.dir, timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`cancelled 2 Slurm jobs an earlier run left`);
    // Each experiment has exactly one result: the orphans were cancelled before their experiments ran again.
    expectCompletedOnce(c, 2);
    expect(await activeJobs(c)).toEqual([]);
  });

  it('a job cancelled from outside is retried; a failing harness is not; a job over its time limit ends TIMEOUT with the reason', async () => {
    const faults = track(
      slurmCampaign('faults', { pytorch_victim: 'duration_seconds: 20', vllm_fail: 'duration_seconds: 0, exit_code: 3' }, { 'execution.cycles': 1 }),
    );
    // A second campaign alongside: one CPU of the node for 90 s (Slurm's time limits are minutes, checked every 30 s or so).
    const late = track(slurmCampaign('timeout', { pytorch_hang: 'hang: true' }, { 'execution.cycles': 1, 'runner.max_retries': 0, 'runner.slurm.time_limit': '1', 'runner.experiment_timeout_seconds': 0 }));
    const timeoutRun = runCli([late.file, ...SLURM, '--json', '--slurm-max-jobs', '1'], { cwd: late.dir, timeoutMs: 180_000 });

    const cli = startCli([faults.file, ...SLURM, '--json', '--slurm-max-jobs', '1'], { cwd: faults.dir });
    const victim = await waitFor('the victim running', async () => (await activeJobs(faults)).find(([, j]) => j.state === 'RUNNING' && j.name.endsWith('-0001'))?.[0], 90_000);
    await sleep(1000);
    await slurm(['scancel', victim]);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(1); // the failing harness
    const entries = readManifest(faults).experiments;
    expect(entries.map((e) => [e.config_name, e.status, e.retry_count])).toEqual([
      ['pytorch_victim', 'completed', 1],
      ['vllm_fail', 'failed', 0],
    ]);
    const retried = cli.events.find((e) => e.type === 'experiment.retrying');
    expect(String(retried?.reason)).toContain(`job ${victim} was cancelled outside lem-tui`);
    expect(entries[1]!.error).toMatch(/exit(ed with)? (code )?3/);

    const timedOut = await timeoutRun;
    expect(timedOut.exitCode, timedOut.stderr).toBe(1);
    const [hung] = readManifest(late).experiments;
    expect(hung!.status).toBe('failed');
    expect(hung!.error).toMatch(/Slurm ended job \d+ at its time limit \(TIMEOUT/);
    expect(await activeJobs(faults)).toEqual([]);
    expect(await activeJobs(late)).toEqual([]);
  }, 240_000);

  it('a node failure (the node set DOWN under a running job): srun exits 0, but the run is a failure Slurm caused, retried, completed once', async () => {
    const c = track(slurmCampaign('node-fail', { pytorch_a: 'duration_seconds: 10' }, { 'execution.cycles': 1 }));
    const cli = startCli([c.file, ...SLURM, '--json', '--slurm-max-jobs', '1'], { cwd: c.dir });
    const [jobId] = await waitRunning(c, 1);
    const node = (await slurm(['squeue', '--noheader', `--jobs=${jobId}`, '--format=%N'])).stdout.trim();
    try {
      await slurm(['scontrol', 'update', `nodename=${node}`, 'state=down', 'reason=lem-tui node-failure test']);
      const retried = await cli.waitFor((e) => e.type === 'experiment.retrying', 30_000);
      expect(String(retried.reason)).toContain(`job ${jobId} lost its node ${node} (NODE_FAIL)`);
    } finally {
      // ReturnToService=2 brings a responding node back by itself; resume it in case it did not.
      await slurm(['scontrol', 'update', `nodename=${node}`, 'state=resume']).catch(() => undefined);
    }
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expectCompletedOnce(c, 1);
    expect(readManifest(c).experiments[0]!.retry_count).toBe(1);
  });

  it('no Slurm on PATH, a controller that does not answer, an unknown partition: exit 2, one clear line, nothing submitted', async () => {
    const c = track(slurmCampaign('env', { pytorch_a: 'duration_seconds: 1' }, { 'execution.cycles': 1 }));
    // A PATH with node and nothing of Slurm (Debian's Slurm is in /usr/bin, next to everything else).
    const bin = fs.mkdtempSync(path.join(c.dir, 'bin-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const noSlurm = await runCli([c.file, ...SLURM], { cwd: c.dir, env: { PATH: bin } });
    expect(noSlurm.exitCode).toBe(2);
    expect(noSlurm.stderr).toContain('Slurm is not installed on this host: srun, squeue, scancel, scontrol, sinfo not found on PATH');

    // A slurm.conf whose controller is a port nothing listens on: what a host sees when slurmctld is down.
    const deadConf = path.join(c.dir, 'dead-slurm.conf');
    fs.writeFileSync(deadConf, fs.readFileSync('/etc/slurm/slurm.conf', 'utf8').replace(/^SlurmctldHost=.*$/m, '$&\nSlurmctldPort=1').replace(/^MessageTimeout=.*$/m, 'MessageTimeout=2'));
    const dead = await runCli([c.file, ...SLURM], { cwd: c.dir, env: { SLURM_CONF: deadConf } });
    expect(dead.exitCode, dead.stderr).toBe(2);
    expect(dead.stderr).toContain('the Slurm controller does not answer (scontrol ping:');

    const partition = await runCli([c.file, ...SLURM, '--slurm-partition', 'nosuch'], { cwd: c.dir });
    expect(partition.exitCode).toBe(2);
    expect(partition.stderr).toContain('the Slurm partition "nosuch" does not exist (sinfo lists: debug*)');
    for (const r of [noSlurm, dead, partition]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(c.manifestPath)).toBe(false);
    expect((await campaignJobs(c)).size).toBe(0);
  });
});

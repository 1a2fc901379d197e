// runner.slurm.container: compose on the real cluster and the real engine:
// each job runs `compose run --rm` on its node (this host), the container
// gets the job's GPU from Slurm (NVIDIA_VISIBLE_DEVICES, recorded by the
// stand-in harness inside it), results arrive through the services' mounts,
// and a SIGINT leaves neither a job nor a container behind.
import { afterAll, describe, expect, it } from 'vitest';
import { containerCount, expectCompletedOnce, readManifest, removeCampaignDirs, runCli, startCli, type Campaign } from '../helpers/cli.js';
import { engineForTests } from '../helpers/docker.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { slurm, slurmForTests, waitFor } from '../helpers/slurm.js';
import { activeJobs, slurmCampaign, waitRunning } from '../helpers/slurmCampaign.js';
import { readHarnessRecords, sharedGpuOverlaps } from '../../bench/harnessRecords.mjs';

const cluster = await slurmForTests();
const engine = cluster && (await engineForTests());

const SLURM_COMPOSE = ['--dispatch', 'slurm', '--no-tui', '--yes', '--slurm-max-jobs', '2'];

describe.runIf(cluster && engine)('--dispatch slurm with container: compose (real cluster, real engine)', () => {
  allowRealProcessTime();
  const campaigns: Campaign[] = [];
  afterAll(async () => {
    for (const c of campaigns) {
      const left = (await activeJobs(c)).map(([id]) => id);
      if (left.length) await slurm(['scancel', ...left]);
    }
    removeCampaignDirs();
  }, 60_000);

  const campaign = (tag: string, seconds: number) => {
    const c = slurmCampaign(tag, { pytorch_a: `duration_seconds: ${seconds}`, vllm_b: `duration_seconds: ${seconds}` }, {
      'execution.cycles': 2,
      'runner.slurm.container': 'compose',
      'runner.lem_command': 'lem',
    });
    campaigns.push(c);
    return c;
  };

  it('runs each experiment in a one-off container of its service on the node, on the GPU Slurm gave the job', async () => {
    const c = campaign('compose', 2);
    const r = await runCli([c.file, ...SLURM_COMPOSE], { cwd: c.dir, timeoutMs: 150_000 });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expectCompletedOnce(c, 4);
    const records = readHarnessRecords(c.resultsDir);
    expect(records).toHaveLength(4);
    // In the container: the GPU of the job, as the NVIDIA runtime would read it.
    expect(new Set(records.map((x) => x.nvidiaVisibleDevices))).toEqual(new Set(['0', '1']));
    expect(sharedGpuOverlaps(records.map((x) => ({ ...x, cudaVisibleDevices: x.nvidiaVisibleDevices })))).toEqual([]);
    expect(await containerCount(c.project)).toBe(0);
    expect(await activeJobs(c)).toEqual([]);
  });

  it('SIGINT while two containers run: the jobs are cancelled, the wrapper removes the containers, exit 130', async () => {
    const c = campaign('compose-sigint', 30);
    const cli = startCli([c.file, ...SLURM_COMPOSE, '--json'], { cwd: c.dir });
    await waitRunning(c, 2);
    await waitFor('two running containers', async () => ((await containerCount(c.project)) >= 2 ? true : undefined), 60_000);
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(await activeJobs(c), JSON.stringify(await activeJobs(c)) + done.stdout.slice(-3000)).toEqual([]);
    expect(await waitFor('no container left', async () => ((await containerCount(c.project)) === 0 ? true : undefined), 30_000)).toBe(true);
    expect(readManifest(c).experiments.every((e) => e.status === 'pending')).toBe(true);
  });
});

// --gpus with the ephemeral strategy against the real engine: one `run --rm`
// container per GPU slot at once, named for its GPU; `docker kill` of one
// slot's container while the other slot runs on undisturbed; SIGINT with two
// running, then --resume. What ran where and when is read from the harness's
// own records (bench/harnessRecords.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from '../../source/io/process/process.js';
import { engineForTests, useDockerSuite } from '../helpers/docker.js';
import { expectCompletedOnce, makeCampaign, projectLeftovers, readManifest, removeCampaignDirs, runCli, startCli, waitForLog, type Campaign } from '../helpers/cli.js';
import { expectOneSlotRetried, standInGpus, standInUuid } from '../helpers/gpus.js';
import { mostAtOnce, readHarnessRecords, sharedGpuOverlaps } from '../../bench/harnessRecords.mjs';

const engine = await engineForTests();
const args = (c: Campaign, extra: string[] = []) => [c.file, '--no-tui', '--yes', '--dispatch', 'docker', '--json', '--gpus', '0,1', ...extra];

/** Two 4-second configs (pytorch, vllm) a cycle: one on each GPU at once. */
function longPair(tag: string, cycles: number): Campaign {
  const c = makeCampaign('kill.yaml', tag, { configs: ['configs/pytorch_long.yaml', 'configs/vllm_long.yaml'], 'execution.cycles': cycles });
  const text = fs.readFileSync(path.join(c.dir, 'configs/pytorch_long.yaml'), 'utf8');
  fs.writeFileSync(path.join(c.dir, 'configs/vllm_long.yaml'), text.replace(/pytorch_long/g, 'vllm_long').replace(/backend: pytorch/, 'backend: vllm'));
  return c;
}

async function runningContainer(project: string, gpu: string): Promise<{ id: string; name: string }[]> {
  const r = await capture(['docker', 'ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}} {{.Names}}']);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ id: line.split(' ')[0]!, name: line.split(' ')[1]! }))
    .filter((c) => c.name.endsWith(`-gpu${gpu}`));
}

describe.runIf(engine)('--gpus 0,1, ephemeral, real engine (CLI)', () => {
  useDockerSuite();
  afterAll(() => removeCampaignDirs());

  it('two one-off containers at once, one per GPU, named for it; docker kill of one: it is retried, the other runs on undisturbed', async () => {
    const c = longPair('par-eph-kill', 1);
    const cli = startCli(args(c), { cwd: c.dir, env: standInGpus(2) });
    await waitForLog(c, '0001', 'Experiment ID:');
    await waitForLog(c, '0002', 'Experiment ID:');
    const onGpu0 = await runningContainer(c.project, '0');
    const onGpu1 = await runningContainer(c.project, '1');
    expect([onGpu0.length, onGpu1.length]).toEqual([1, 1]);
    expect((await capture(['docker', 'kill', onGpu0[0]!.id])).exitCode).toBe(0);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);

    const { events } = expectOneSlotRetried(c, done.stdout);
    expect(events.find((e) => e.type === 'experiment.retrying')!.reason).toMatch(/exit 137/);

    expectCompletedOnce(c, 2);
    const records = readHarnessRecords(c.resultsDir);
    expect(sharedGpuOverlaps(records)).toEqual([]);
    expect(new Set(records.map((r) => r.cudaVisibleDevices))).toEqual(new Set([standInUuid(0), standInUuid(1)]));
    expect(records.every((r) => r.nvidiaVisibleDevices === r.cudaVisibleDevices)).toBe(true);
  }, 120_000);

  it('SIGINT with two running: exit 130, no container left; --resume runs the rest, every experiment once, never two on one GPU', async () => {
    const c = longPair('par-eph-int', 2);
    const cli = startCli(args(c), { cwd: c.dir, env: standInGpus(2) });
    await waitForLog(c, '0001', 'Experiment ID:');
    await waitForLog(c, '0002', 'Experiment ID:');
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(await projectLeftovers(c.project)).toEqual([]);
    expect(readManifest(c).experiments.map((e) => e.status)).toEqual(['pending', 'pending', 'pending', 'pending']);

    const resumed = await runCli(args(c, ['--resume']), { cwd: c.dir, env: standInGpus(2), timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);
    expectCompletedOnce(c, 4);
    const records = readHarnessRecords(c.resultsDir).filter((r) => r.end !== null);
    expect(sharedGpuOverlaps(records)).toEqual([]);
    expect(mostAtOnce(records)).toBe(2);
  }, 150_000);
});

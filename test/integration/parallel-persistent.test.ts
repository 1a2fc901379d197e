// --gpus with the persistent strategy through the CLI against the real
// engine: one long-lived container per (service, GPU slot); `docker kill` of
// one slot's container while the other slot runs on undisturbed; nothing left
// at the end. What ran where is read from the harness's own records.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from '../../source/io/process/process.js';
import { engineForTests, useDockerSuite } from '../helpers/docker.js';
import { expectCompletedOnce, makeCampaign, projectContainerIds, projectLeftovers, removeCampaignDirs, startCli, waitForLog, type Campaign } from '../helpers/cli.js';
import { expectOneSlotRetried, standInGpus, standInUuid } from '../helpers/gpus.js';
import { readHarnessRecords, sharedGpuOverlaps } from '../../bench/harnessRecords.mjs';

const engine = await engineForTests();
const args = (c: Campaign) => [c.file, '--no-tui', '--yes', '--dispatch', 'docker', '--container-strategy', 'persistent', '--json', '--gpus', '0,1'];

describe.runIf(engine)('--gpus 0,1, persistent, real engine (CLI)', () => {
  useDockerSuite();
  afterAll(() => removeCampaignDirs());

  it("a container per GPU slot; docker kill of slot 0's: its experiment is retried in a fresh one, slot 1's runs on undisturbed", async () => {
    const c = makeCampaign('kill.yaml', 'par-pers', { configs: ['configs/pytorch_long.yaml', 'configs/pytorch_long2.yaml'] });
    const text = fs.readFileSync(path.join(c.dir, 'configs/pytorch_long.yaml'), 'utf8');
    fs.writeFileSync(path.join(c.dir, 'configs/pytorch_long2.yaml'), text.replace(/pytorch_long/g, 'pytorch_long2'));
    const cli = startCli(args(c), { cwd: c.dir, env: standInGpus(2) });
    await waitForLog(c, '0001', 'Experiment ID:');
    await waitForLog(c, '0002', 'Experiment ID:');
    const gpu0 = await projectContainerIds(c.project, 'pytorch-gpu0');
    const gpu1 = await projectContainerIds(c.project, 'pytorch-gpu1');
    expect([gpu0.length, gpu1.length]).toEqual([1, 1]);
    expect(await projectContainerIds(c.project, 'pytorch')).toEqual([]); // the base service is not started
    expect((await capture(['docker', 'kill', gpu0[0]!])).exitCode).toBe(0);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);

    const { events, killedId } = expectOneSlotRetried(c, done.stdout);
    expect(events.find((e) => e.type === 'experiment.started' && e.expId === killedId)).toMatchObject({ gpus: ['0'] });
    expectCompletedOnce(c, 2);
    const records = readHarnessRecords(c.resultsDir);
    expect(sharedGpuOverlaps(records)).toEqual([]);
    expect(new Set(records.map((r) => r.cudaVisibleDevices))).toEqual(new Set([standInUuid(0), standInUuid(1)]));
  }, 150_000);
});

// Whole campaigns through the built CLI against the real engine and compose
// CLI, ephemeral strategy (`compose run --rm` per experiment): a full run,
// SIGINT / SIGTERM to the CLI mid-experiment (exit 130, nothing of the
// project left the moment it exits), then --resume to the end.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from '../../source/io/process/process.js';
import { COMPOSE_COMMAND, engineForTests, TEST_IMAGE, useDockerSuite } from '../helpers/docker.js';
import {
  expectCompletedOnce,
  expectMetricsMatch,
  expectSummaryMatches,
  makeCampaign,
  parseNdjson,
  projectContainerIds,
  projectLeftovers,
  readManifest,
  removeCampaignDirs,
  resultsByExperiment,
  runCli,
  sleep,
  startCli,
  useCampaignProjects,
  waitForLog,
  type Campaign,
} from '../helpers/cli.js';

const engine = await engineForTests();
const docker = (c: Campaign, extra: string[] = []) => [c.file, '--no-tui', '--yes', '--dispatch', 'docker', '--json', ...extra];

describe.runIf(engine)('campaign, ephemeral, real engine (CLI)', () => {
  useDockerSuite();
  const projects = useCampaignProjects();
  afterAll(() => removeCampaignDirs());

  it('a full campaign: exit 0, manifest and results, NDJSON metrics and summary match the files', async () => {
    const c = projects.track(makeCampaign('basic.yaml', 'eph-full'));
    const r = await runCli(docker(c), { cwd: c.dir, timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await projectLeftovers(c.project), 'nothing of the project left').toEqual([]);
    const events = parseNdjson(r.stdout);
    expect(events[0]).toMatchObject({ type: 'campaign.started', strategy: 'ephemeral', dispatch: 'docker', composeProject: c.project });
    const results = expectCompletedOnce(c, 4);
    const finished = events.filter((e) => e.type === 'experiment.finished');
    expect(finished.map((e) => [e.expId, e.status])).toEqual([
      ['0001', 'completed'],
      ['0002', 'completed'],
      ['0003', 'completed'],
      ['0004', 'completed'],
    ]);
    for (const e of finished) expectMetricsMatch(e, results.get(e.expId as string)!);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'campaign.finished', exitCode: 0, completed: 4, failed: 0, total: 4, leftRunning: [] });
    expectSummaryMatches(end, results);
    // The harness ran in the containers with the campaign's environment.
    for (const result of results.values()) {
      expect(result).toMatchObject({ harness: { campaign_id: c.id, campaign_name: c.name, total_cycles: 2 } });
    }
    expect(readManifest(c).compose_project).toBe(c.project);
  }, 90_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s to the CLI mid-experiment: exit 130 after cleanup, no container left; --resume completes each experiment once',
    async (signal) => {
      const c = projects.track(makeCampaign('slow.yaml', `eph-${signal.toLowerCase()}`));
      const cli = startCli(docker(c), { cwd: c.dir });
      await waitForLog(c, '0002', 'Experiment ID:'); // the harness runs in its container
      process.kill(cli.pid, signal);
      const done = await cli.done;
      expect(done.exitCode, done.stderr).toBe(130);
      // Right after the CLI exits: nothing of the project remains.
      expect(await projectLeftovers(c.project)).toEqual([]);
      const events = parseNdjson(done.stdout);
      expect(events.at(-1)).toMatchObject({ type: 'campaign.finished', exitCode: 130 });
      expect(readManifest(c).experiments.map((e) => [e.exp_id, e.status])).toEqual([
        ['0001', 'completed'],
        ['0002', 'pending'],
        ['0003', 'pending'],
        ['0004', 'pending'],
      ]);
      expect([...resultsByExperiment(c).keys()]).toEqual(['0001']);

      const resumed = await runCli(docker(c, ['--resume']), { cwd: c.dir, timeoutMs: 90_000 });
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      expect(await projectLeftovers(c.project)).toEqual([]);
      const again = parseNdjson(resumed.stdout);
      expect(again.filter((e) => e.type === 'experiment.started').map((e) => e.expId)).toEqual(['0002', '0003', '0004']);
      const results = expectCompletedOnce(c, 4);
      expectSummaryMatches(again.at(-1)!, results);
    },
    120_000,
  );

  it('a second SIGINT forces: exit 130, no container left; a `running` entry is run again by --resume, once', async () => {
    const c = projects.track(makeCampaign('slow.yaml', 'eph-force', { 'execution.cycles': 1 }));
    // 0002 outlasts the signals and ignores SIGTERM: the first SIGINT's teardown
    // waits out the grace (1 s), so the second one always lands during it. With
    // the 1 s experiment the teardown could end within the 150 ms below.
    const vllm = path.join(c.dir, 'configs/vllm_slow.yaml');
    fs.writeFileSync(vllm, fs.readFileSync(vllm, 'utf8').replace('harness: {duration_seconds: 1}', 'harness: {duration_seconds: 5, ignore_sigterm: true}'));
    const cli = startCli(docker(c), { cwd: c.dir });
    await waitForLog(c, '0002', 'Experiment ID:');
    process.kill(cli.pid, 'SIGINT');
    await sleep(150); // two signals sent at once arrive as one
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.stderr).toContain('forced quit, removing containers');
    expect(await projectLeftovers(c.project), 'right after the CLI exits').toEqual([]);
    const manifest = readManifest(c); // valid JSON
    expect(manifest.experiments[0]!.status).toBe('completed');
    expect(['running', 'pending']).toContain(manifest.experiments[1]!.status);

    const resumed = await runCli(docker(c, ['--resume']), { cwd: c.dir, timeoutMs: 90_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(parseNdjson(resumed.stdout).filter((e) => e.type === 'experiment.started').map((e) => e.expId)).toEqual(['0002']);
    expectCompletedOnce(c, 2);
  }, 90_000);

  it('the one-off container killed from outside (docker kill): the experiment is retried and completes, exit 0', async () => {
    const c = projects.track(makeCampaign('kill.yaml', 'eph-kill'));
    const cli = startCli(docker(c), { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    const ids = await projectContainerIds(c.project, 'pytorch');
    expect(ids).toHaveLength(1);
    expect((await capture(['docker', 'kill', ids[0]!])).exitCode).toBe(0);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);
    const events = parseNdjson(done.stdout);
    const retrying = events.filter((e) => e.type === 'experiment.retrying');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]).toMatchObject({ expId: '0001', nextAttempt: 2 });
    expect(retrying[0]!.reason).toMatch(/exit 137/);
    expect(readManifest(c).experiments[0]).toMatchObject({ status: 'completed', retry_count: 1 });
    const results = expectCompletedOnce(c, 2);
    expectSummaryMatches(events.at(-1)!, results);
  }, 90_000);

  it("a manifest of an earlier lem-tui (project lem-<id>): --resume also sweeps that project's leftovers", async () => {
    const c = projects.track(makeCampaign('basic.yaml', 'eph-oldproj', { 'execution.cycles': 1 }));
    expect((await runCli(docker(c), { cwd: c.dir, timeoutMs: 90_000 })).exitCode).toBe(0);
    const old = `lem-${c.id}`;
    const manifest = JSON.parse(fs.readFileSync(c.manifestPath, 'utf8')) as { compose_project: string; experiments: { status: string }[] };
    manifest.compose_project = old;
    manifest.experiments[1]!.status = 'running'; // interrupted: runs again
    fs.writeFileSync(c.manifestPath, JSON.stringify(manifest));
    const left = await capture(['docker', 'run', '-d', '--network', 'none', '--label', `com.docker.compose.project=${old}`, TEST_IMAGE, 'sleep', '120']);
    expect(left.exitCode, left.stderr).toBe(0);
    try {
      const r = await runCli(docker(c, ['--resume']), { cwd: c.dir, timeoutMs: 90_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await projectLeftovers(old), 'the old project is swept').toEqual([]);
      expect(readManifest(c).compose_project).toBe(c.project);
    } finally {
      await capture(['docker', 'rm', '-f', left.stdout.trim()]);
    }
  }, 120_000);

  it('SIGKILL of lem-tui mid-experiment: the one-off container it leaves (v2 leaves it running) is removed by --resume, which runs each experiment once', async () => {
    const c = projects.track(makeCampaign('slow.yaml', 'eph-kill9', { 'execution.cycles': 1 }));
    const config = path.join(c.dir, 'configs/pytorch_slow.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('duration_seconds: 1', 'duration_seconds: 8'));
    const cli = startCli(docker(c), { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    process.kill(cli.pid, 'SIGKILL');
    await cli.done;
    await sleep(500);
    const oneOff = (await projectLeftovers(c.project)).filter((l) => l.includes('-run-0001-'));
    if (COMPOSE_COMMAND !== 'docker-compose') expect(oneOff, 'v2 leaves the one-off container running').not.toEqual([]);
    const resumed = await runCli(docker(c, ['--resume']), { cwd: c.dir, timeoutMs: 90_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expectCompletedOnce(c, 2);
    expect(await projectLeftovers(c.project)).toEqual([]);
  }, 120_000);
});

// Whole campaigns through the built CLI against the real engine and compose
// CLI, persistent strategy (`up -d` once, `exec` per experiment): a full run
// and its summary table, SIGINT / SIGTERM mid-experiment (exit 130, nothing
// of the project left the moment the CLI exits) then --resume, and a service
// container killed from outside mid-experiment (restarted, retried, exit 0).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { formatMeanSpread } from '../../source/state/format.js';
import { capture } from '../../source/io/process/process.js';
import { engineForTests, useDockerSuite } from '../helpers/docker.js';
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
  startCli,
  useCampaignProjects,
  waitForLog,
  type Campaign,
} from '../helpers/cli.js';

const engine = await engineForTests();
const persistent = (c: Campaign, extra: string[] = []) => [
  c.file,
  '--no-tui',
  '--yes',
  '--dispatch',
  'docker',
  '--container-strategy',
  'persistent',
  ...extra,
];

describe.runIf(engine)('campaign, persistent, real engine (CLI)', () => {
  useDockerSuite();
  const projects = useCampaignProjects();
  afterAll(() => removeCampaignDirs());

  it('a full campaign: exit 0, services torn down, the summary table matches the result files', async () => {
    const c = projects.track(makeCampaign('basic.yaml', 'pers-full'));
    const r = await runCli(persistent(c), { cwd: c.dir, timeoutMs: 90_000 });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(await projectLeftovers(c.project), 'auto_teardown: nothing left').toEqual([]);
    const results = expectCompletedOnce(c, 4);

    // The summary table: one row per config, n and energy mean ± spread as the files give them.
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => /^config\s+backend\s+n\s+energy J/.test(l));
    expect(header, r.stdout).toBeGreaterThan(0);
    expect(lines[header - 1]).toMatch(/finished in .*: 4 completed, 0 failed, 0 skipped of 4 \(exit 0\)$/);
    for (const [row, config, backend] of [
      [lines[header + 1]!, 'pytorch_quick', 'pytorch'],
      [lines[header + 2]!, 'vllm_quick', 'vllm'],
    ] as const) {
      const energies = [...results.values()].filter((x) => x.effective_config.config_name === config).map((x) => x.total_energy_j);
      const mean = energies.reduce((a, b) => a + b, 0) / energies.length;
      const sd = Math.sqrt(energies.reduce((a, b) => a + (b - mean) ** 2, 0) / (energies.length - 1));
      expect(row.split(/\s{2,}/).slice(0, 4)).toEqual([config, backend, String(energies.length), formatMeanSpread({ mean, spread: sd })]);
    }
  }, 90_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s to the CLI mid-experiment: exit 130 after cleanup, no container left; --resume completes each experiment once',
    async (signal) => {
      const c = projects.track(makeCampaign('slow.yaml', `pers-${signal.toLowerCase()}`));
      const cli = startCli([...persistent(c), '--json'], { cwd: c.dir });
      await waitForLog(c, '0002', 'Experiment ID:'); // the harness runs in the vllm service
      expect(await projectContainerIds(c.project)).toHaveLength(2);
      process.kill(cli.pid, signal);
      const done = await cli.done;
      expect(done.exitCode, done.stderr).toBe(130);
      expect(await projectLeftovers(c.project), 'right after the CLI exits').toEqual([]);
      expect(parseNdjson(done.stdout).at(-1)).toMatchObject({ type: 'campaign.finished', exitCode: 130, leftRunning: [] });
      expect(readManifest(c).experiments.map((e) => [e.exp_id, e.status])).toEqual([
        ['0001', 'completed'],
        ['0002', 'pending'],
        ['0003', 'pending'],
        ['0004', 'pending'],
      ]);
      expect([...resultsByExperiment(c).keys()]).toEqual(['0001']);

      const resumed = await runCli([...persistent(c), '--json', '--resume'], { cwd: c.dir, timeoutMs: 90_000 });
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      expect(await projectLeftovers(c.project)).toEqual([]);
      const again = parseNdjson(resumed.stdout);
      expect(again.filter((e) => e.type === 'experiment.started').map((e) => e.expId)).toEqual(['0002', '0003', '0004']);
      const results = expectCompletedOnce(c, 4);
      expectSummaryMatches(again.at(-1)!, results);
    },
    120_000,
  );

  it('a service container killed from outside mid-experiment: restarted, the experiment retried and completed, exit 0', async () => {
    const c = projects.track(makeCampaign('kill.yaml', 'pers-kill'));
    const cli = startCli([...persistent(c), '--json'], { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    const [victim] = await projectContainerIds(c.project, 'pytorch');
    expect(victim).toBeDefined();
    const kill = await capture(['docker', 'kill', victim!]);
    expect(kill.exitCode, kill.stderr).toBe(0);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);

    const events = parseNdjson(done.stdout);
    expect(events.filter((e) => e.type === 'experiment.started').map((e) => [e.expId, e.attempt])).toEqual([
      ['0001', 1],
      ['0001', 2],
      ['0002', 1],
    ]);
    const retrying = events.filter((e) => e.type === 'experiment.retrying');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]).toMatchObject({ expId: '0001', nextAttempt: 2 });
    expect(retrying[0]!.reason).toMatch(/137/);
    // The engine saw the kill and the restart.
    const pytorch = events.filter((e) => e.type === 'service.state' && e.service === 'pytorch');
    expect(pytorch.some((e) => e.lastExitCode === 137)).toBe(true);
    expect(Math.max(...pytorch.map((e) => e.restarts as number))).toBeGreaterThanOrEqual(1);

    const manifest = readManifest(c);
    expect(manifest.experiments[0]).toMatchObject({ exp_id: '0001', status: 'completed', retry_count: 1, error: null });
    const results = expectCompletedOnce(c, 2); // the killed attempt left no result: counted once
    const finished = events.filter((e) => e.type === 'experiment.finished');
    for (const e of finished) expectMetricsMatch(e, results.get(e.expId as string)!);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'campaign.finished', exitCode: 0, completed: 2, failed: 0, total: 2 });
    expectSummaryMatches(end, results);
  }, 90_000);

  it('a service killed from outside during a gap: restarted before the next experiment, which completes', async () => {
    const c = projects.track(makeCampaign('basic.yaml', 'pers-killgap', { 'execution.cycles': 1, 'execution.config_gap_seconds': 3 }));
    const cli = startCli([...persistent(c), '--json'], { cwd: c.dir });
    await cli.waitFor((e) => e.type === 'gap.started', 60_000);
    const ids = await projectContainerIds(c.project, 'vllm');
    expect(ids).toHaveLength(1);
    expect((await capture(['docker', 'kill', ids[0]!])).exitCode).toBe(0);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);
    const events = parseNdjson(done.stdout);
    const vllm = events.filter((e) => e.type === 'service.state' && e.service === 'vllm');
    expect(vllm.some((e) => e.lastExitCode === 137)).toBe(true);
    expect(events.filter((e) => e.type === 'experiment.started').map((e) => [e.expId, e.attempt])).toEqual([
      ['0001', 1],
      ['0002', 1],
    ]);
    expectCompletedOnce(c, 2);
  }, 90_000);

  it('a hung experiment with --experiment-timeout: its exec killed and the service restarted, retried, failed; the campaign goes on', async () => {
    const c = projects.track(makeCampaign('hang.yaml', 'pers-hang'));
    // 4 s: the quick experiment after it must fit in its timeout even on a busy machine.
    const r = await runCli([...persistent(c), '--json', '--experiment-timeout', '4'], { cwd: c.dir, timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(await projectLeftovers(c.project)).toEqual([]);
    const events = parseNdjson(r.stdout);
    // The hang's attempts and outcome; 0002 only has to run after it and
    // complete (the timeout applies to it too: a quick run through v1's
    // Python client on a busy machine can need a second attempt).
    const started = events.filter((e) => e.type === 'experiment.started').map((e) => [e.expId, e.attempt]);
    expect(started.slice(0, 3)).toEqual([
      ['0001', 1],
      ['0001', 2],
      ['0002', 1],
    ]);
    expect(events.filter((e) => e.type === 'experiment.finished').map((e) => [e.expId, e.status])).toEqual([
      ['0001', 'failed'],
      ['0002', 'completed'],
    ]);
    const notices = events.filter((e) => e.type === 'notice').map((e) => e.message as string);
    // One restart per failed attempt (the timed-out exec's own), not two.
    expect(notices.filter((m) => m.startsWith('pytorch restarted'))).toEqual([
      'pytorch restarted after a failure (1/3)',
      'pytorch restarted after a failure (2/3)',
    ]);
    const restarts = events.filter((e) => e.type === 'service.state' && e.service === 'pytorch').map((e) => Number(e.restarts));
    expect(Math.max(...restarts)).toBe(2);
    const manifest = readManifest(c);
    expect(manifest.experiments[0]).toMatchObject({ status: 'failed', retry_count: 1 });
    expect(manifest.experiments[0]!.error).toMatch(/timed out after 4 s/);
    expect(manifest.experiments[1]).toMatchObject({ status: 'completed' });
    expect([...resultsByExperiment(c).keys()]).toEqual(['0002']);
  }, 90_000);

  it('SIGKILL of lem-tui mid-experiment: --resume first stops the harness the dead run left in the service, then runs it once', async () => {
    const c = projects.track(makeCampaign('slow.yaml', 'pers-kill9', { 'execution.cycles': 1 }));
    const config = path.join(c.dir, 'configs/pytorch_slow.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('duration_seconds: 1', 'duration_seconds: 10'));
    const cli = startCli([...persistent(c), '--json'], { cwd: c.dir, timeoutMs: 120_000 });
    await waitForLog(c, '0001', 'Experiment ID:');
    process.kill(cli.pid, 'SIGKILL');
    await cli.done;
    const [id] = await projectContainerIds(c.project, 'pytorch');
    expect((await capture(['docker', 'top', id!])).stdout, 'the harness runs on without lem-tui').toContain('_campaign_0001.yaml');
    const resumed = await runCli([...persistent(c), '--json', '--resume'], { cwd: c.dir, timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    // One result per experiment: the dead run's harness never finished beside the new one.
    expectCompletedOnce(c, 2);
    const notices = parseNdjson(resumed.stdout).filter((e) => e.type === 'notice').map((e) => String(e.message));
    expect(notices.some((m) => m.startsWith('stopped the harness a dead run left running in'))).toBe(true);
    expect(await projectLeftovers(c.project)).toEqual([]);
  }, 120_000);

  it('a frozen service (docker pause) with --experiment-timeout: the restart kills the paused container, one restart per failed attempt, the retry completes', async () => {
    const c = projects.track(makeCampaign('slow.yaml', 'pers-pause', { 'execution.cycles': 1 }));
    const config = path.join(c.dir, 'configs/pytorch_slow.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('duration_seconds: 1', 'duration_seconds: 2'));
    // 15 s: the retry (2 s of harness plus the exec client's start) must fit, even through v1 on a busy machine.
    const cli = startCli([...persistent(c), '--json', '--experiment-timeout', '15'], { cwd: c.dir, timeoutMs: 150_000 });
    await waitForLog(c, '0001', 'Experiment ID:'); // the harness runs inside the exec
    const [id] = await projectContainerIds(c.project, 'pytorch');
    expect((await capture(['docker', 'pause', id!])).exitCode).toBe(0);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(cli.events.filter((e) => e.type === 'experiment.started').map((e) => [e.expId, e.attempt])).toEqual([
      ['0001', 1],
      ['0001', 2],
      ['0002', 1],
    ]);
    const notices = cli.events.filter((e) => e.type === 'notice').map((e) => String(e.message));
    expect(notices.filter((m) => m.startsWith('pytorch restarted'))).toEqual(['pytorch restarted after a failure (1/3)']);
    const restarts = cli.events.filter((e) => e.type === 'service.state' && e.service === 'pytorch').map((e) => Number(e.restarts));
    expect(Math.max(...restarts), 'one restart for one failed attempt').toBe(1);
    expect(readManifest(c).experiments.map((e) => e.status)).toEqual(['completed', 'completed']);
    expect(await projectLeftovers(c.project)).toEqual([]);
  }, 150_000);

  it('auto_teardown off: services left running and named; the stop command it prints works as printed', async () => {
    const c = projects.track(makeCampaign('basic.yaml', 'pers-keep', { 'execution.cycles': 1 }));
    fs.writeFileSync(path.join(c.dir, '.lem-config.yaml'), 'docker:\n  auto_teardown: false\n');
    const r = await runCli([...persistent(c), '--json'], { cwd: c.dir, timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'campaign.finished', exitCode: 0, completed: 2 });
    const left = end.leftRunning as string[];
    expect(left).toHaveLength(2);
    expect((await projectContainerIds(c.project)).length).toBe(2);
    expectCompletedOnce(c, 2);

    const notice = events.find((e) => e.type === 'notice' && String(e.message).startsWith('auto_teardown is off'));
    const stop = String(notice?.message).split(' — stop them with: ')[1];
    expect(stop, String(notice?.message)).toBeDefined();
    // As a user would paste it: in a shell of their own, without the PUID/PGID lem-tui gives compose.
    const env = { ...process.env };
    delete env.PUID;
    delete env.PGID;
    const down = await execa('sh', ['-c', stop!], { cwd: c.dir, env, extendEnv: false, reject: false });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await projectLeftovers(c.project)).toEqual([]);
  }, 90_000);
});

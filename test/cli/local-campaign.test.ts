// The campaign engine end to end with local dispatch: the built CLI runs the
// stand-in harness (fixtures/harness/lem) as real child processes. Full runs,
// failures, hangs and timeouts, SIGINT in the middle and --resume, --no-resume.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectCompletedOnce,
  expectMetricsMatch,
  expectSummaryMatches,
  LEM,
  makeCampaign,
  parseNdjson,
  processesMentioning,
  readManifest,
  removeCampaignDirs,
  resultsByExperiment,
  runCli,
  startCli,
  waitForLog,
  type Campaign,
  type NdjsonEvent,
} from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();

afterAll(() => removeCampaignDirs());

const local = ['--dispatch', 'local', '--lem-command', LEM];
const json = (c: Campaign, extra: string[] = []) => [c.file, ...local, '--json', ...extra];
const ofType = (events: NdjsonEvent[], type: string) => events.filter((e) => e.type === type);

describe('campaign with local dispatch (real harness processes)', () => {
  it('a full campaign: exit 0, every entry completed with its real result, NDJSON line by line', async () => {
    const c = makeCampaign('basic.yaml', 'full');
    const r = await runCli(json(c), { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(events[0]!.type).toBe('campaign.started');
    expect(events.at(-1)!.type).toBe('campaign.finished');

    const results = expectCompletedOnce(c, 4);
    const finishedEvents = ofType(events, 'experiment.finished');
    expect(finishedEvents.map((e) => [e.expId, e.status])).toEqual([
      ['0001', 'completed'],
      ['0002', 'completed'],
      ['0003', 'completed'],
      ['0004', 'completed'],
    ]);
    for (const e of finishedEvents) expectMetricsMatch(e, results.get(e.expId as string)!);
    const finished = events.at(-1)!;
    expect(finished).toMatchObject({ exitCode: 0, completed: 4, failed: 0, skipped: 0, total: 4, failures: [], leftRunning: [] });
    expectSummaryMatches(finished, results);
    // The per-experiment configs are written for the run and removed after it.
    expect(fs.readdirSync(path.join(c.dir, 'configs_runtime'))).toEqual([]);
    // Each experiment's output is kept in a log file.
    expect(fs.readFileSync(path.join(c.resultsDir, '0001', 'logs', 'output.log'), 'utf8')).toContain('Experiment complete.');
  });

  it('persistent strategy with local dispatch: no services start, so no confirmation is needed (no terminal, no --yes)', async () => {
    const c = makeCampaign('basic.yaml', 'local-persistent');
    const r = await runCli([c.file, ...local, '--container-strategy', 'persistent', '--no-tui'], { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('the container strategy does not apply to local dispatch');
    expectCompletedOnce(c, 4);
  });

  it('a failing config: exit 1, its reason recorded, the campaign goes on', async () => {
    const c = makeCampaign('failing.yaml', 'failing');
    const r = await runCli([c.file, ...local, '--no-tui'], { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(1);
    const manifest = readManifest(c);
    expect(manifest.experiments.map((e) => [e.config_name, e.status])).toEqual([
      ['pytorch_quick', 'completed'],
      ['pytorch_fail', 'failed'],
      ['vllm_quick', 'completed'],
    ]);
    const failed = manifest.experiments[1]!;
    expect(failed.error).toMatch(/3/);
    expect(failed.result_path).toBeNull();
    expect(failed.retry_count).toBe(0); // exit 3 is a harness error: never retried
    expect([...resultsByExperiment(c).keys()].sort()).toEqual(['0001', '0003']);
    // The plain report names the failure, its reason and the harness's last words.
    expect(r.stdout).toMatch(/0002 pytorch_fail \(cycle 1\) failed: .*3/);
    expect(r.stdout).toContain('RuntimeError: synthetic failure requested by harness config (exit 3)');
    expect(r.stdout).toMatch(/finished in .*: 2 completed, 1 failed, 0 skipped of 3 \(exit 1\)/);
  });

  // The timeout applies to the quick experiment too, and on a busy machine
  // even a quick harness run (dozens of awk and sed) can take longer than any
  // short timeout: only the hang's outcome is asserted, and that 0002 ran after it.
  it('a hang with --experiment-timeout 2: killed, retried per max_retries, then failed; the campaign goes on', async () => {
    const c = makeCampaign('hang.yaml', 'hang');
    const r = await runCli(json(c, ['--experiment-timeout', '2']), { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(1);
    const events = parseNdjson(r.stdout);
    const hang = events.filter((e) => e.expId === '0001');
    expect(ofType(hang, 'experiment.started').map((e) => e.attempt)).toEqual([1, 2]);
    const retrying = ofType(hang, 'experiment.retrying');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]).toMatchObject({ nextAttempt: 2, delayMs: 2000 });
    expect(retrying[0]!.reason).toMatch(/timed out after 2 s/);
    const finished = ofType(hang, 'experiment.finished');
    expect(finished.map((e) => e.status)).toEqual(['failed']);
    expect(finished[0]!.reason).toMatch(/timed out after 2 s/);
    // The campaign went on: 0002 started after 0001 failed.
    const afterHang = events.slice(events.indexOf(finished[0]!));
    expect(afterHang.some((e) => e.type === 'experiment.started' && e.expId === '0002')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'campaign.finished', exitCode: 1 });
    const manifest = readManifest(c);
    expect(manifest.experiments[0]).toMatchObject({ status: 'failed', retry_count: 1 });
    expect(manifest.experiments[0]!.error).toMatch(/timed out/);
    expect(['completed', 'failed']).toContain(manifest.experiments[1]!.status);
    // Nothing of the hung harness survives (the whole process group is killed).
    expect(await processesMentioning(c.dir)).toEqual([]);
  });

  it('SIGINT while an experiment runs: exit 130, valid manifest; --resume completes each experiment exactly once', async () => {
    const c = makeCampaign('slow.yaml', 'sigint-run');
    const cli = startCli(json(c), { cwd: c.dir });
    await cli.waitFor((e) => e.type === 'experiment.started' && e.expId === '0002');
    await waitForLog(c, '0002', 'Experiment ID:'); // the harness is running
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    const events = parseNdjson(done.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'campaign.finished', exitCode: 130 });
    expect(ofType(events, 'experiment.started').map((e) => e.expId)).toEqual(['0001', '0002']);
    // Interrupted by the stop, not skipped (s is the user's skip): it runs again on --resume.
    expect(ofType(events, 'experiment.finished').map((e) => [e.expId, e.status])).toEqual([
      ['0001', 'completed'],
      ['0002', 'interrupted'],
    ]);
    expect(events.at(-1)).toMatchObject({ completed: 1, skipped: 0, interrupted: 1, failures: [expect.objectContaining({ expId: '0002', status: 'interrupted' })] });
    expect(await processesMentioning(c.dir)).toEqual([]);

    const manifest = readManifest(c); // valid JSON
    expect(manifest.experiments.map((e) => [e.exp_id, e.status])).toEqual([
      ['0001', 'completed'],
      ['0002', 'pending'],
      ['0003', 'pending'],
      ['0004', 'pending'],
    ]);
    expect(fs.existsSync(path.join(c.dir, '.state', 'lem-tui.lock'))).toBe(false);
    // The killed attempt wrote no result.
    expect([...resultsByExperiment(c).keys()]).toEqual(['0001']);

    const resumed = await runCli(json(c, ['--resume']), { cwd: c.dir });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const again = parseNdjson(resumed.stdout);
    const plan = again[0]!.experiments as { expId: string; status: string }[];
    expect(plan.map((e) => [e.expId, e.status])).toEqual([
      ['0001', 'completed'],
      ['0002', 'pending'],
      ['0003', 'pending'],
      ['0004', 'pending'],
    ]);
    expect(ofType(again, 'experiment.started').map((e) => e.expId)).toEqual(['0002', '0003', '0004']);
    const results = expectCompletedOnce(c, 4);
    const finished = again.at(-1)!;
    expect(finished).toMatchObject({ exitCode: 0, completed: 4, failed: 0, total: 4 });
    expectSummaryMatches(finished, results);
  });

  it('SIGINT during a gap: exit 130 at once; --resume completes each experiment exactly once', async () => {
    const c = makeCampaign('basic.yaml', 'sigint-gap', { 'execution.cycles': 1, 'execution.config_gap_seconds': 30 });
    const cli = startCli(json(c), { cwd: c.dir });
    const gap = await cli.waitFor((e) => e.type === 'gap.started');
    expect(gap).toMatchObject({ kind: 'experiment', durationMs: 30_000 });
    const signalledAt = Date.now();
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.endedAt - signalledAt).toBeLessThan(20_000); // it did not wait out the 30 s gap
    expect(readManifest(c).experiments.map((e) => [e.exp_id, e.status])).toEqual([
      ['0001', 'completed'],
      ['0002', 'pending'],
    ]);

    const resumed = await runCli(json(c, ['--resume']), { cwd: c.dir });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const again = parseNdjson(resumed.stdout);
    expect(ofType(again, 'gap.started')).toEqual([]); // no 30 s gap before the first experiment of a resume
    expect(ofType(again, 'experiment.started').map((e) => e.expId)).toEqual(['0002']);
    expectCompletedOnce(c, 2);
  });

  it('--no-resume moves the old manifest aside (kept) and keeps the results', async () => {
    const c = makeCampaign('basic.yaml', 'noresume', { 'execution.cycles': 1 });
    const first = await runCli([c.file, ...local, '--no-tui'], { cwd: c.dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const oldBytes = fs.readFileSync(c.manifestPath);
    const oldResults = readManifest(c).experiments.map((e) => e.result_path!);

    const r = await runCli(json(c, ['--no-resume']), { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const notices = ofType(parseNdjson(r.stdout), 'notice').map((e) => e.message as string);
    const moved = notices.find((m) => m.startsWith('the earlier manifest was moved to '));
    expect(moved, notices.join('\n')).toBeDefined();
    const archived = fs
      .readdirSync(path.join(c.dir, '.state'))
      .filter((n) => /^campaign_manifest\.\d{8}T\d{6}Z(-\d+)?\.json$/.test(n));
    expect(archived).toHaveLength(1);
    expect(moved).toContain(archived[0]);
    expect(fs.readFileSync(path.join(c.dir, '.state', archived[0]!)).equals(oldBytes)).toBe(true);
    for (const file of oldResults) expect(fs.existsSync(file), file).toBe(true);
    // The new run ran everything again: two results per experiment now, the new manifest points at the new ones.
    const manifest = readManifest(c);
    expect(manifest.experiments.every((e) => e.status === 'completed')).toBe(true);
    const results = resultsByExperiment(c);
    for (const entry of manifest.experiments) {
      expect(results.get(entry.exp_id)).toHaveLength(2);
      expect(oldResults).not.toContain(entry.result_path);
      expect(fs.existsSync(entry.result_path!)).toBe(true);
    }
  });

  it('a second SIGINT forces while the harness ignores SIGTERM: exit 130, nothing of the harness survives', async () => {
    // The second SIGINT must come after the first was handled (two sent at
    // once arrive as one) and before the grace ends the run by itself: it is
    // sent once the campaign says it is stopping, within a 5 s grace.
    const c = makeCampaign('slow.yaml', 'sigint-twice', { 'runner.stop_grace_seconds': 5 });
    const config = path.join(c.dir, 'configs', 'vllm_slow.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('harness: {duration_seconds: 1}', 'harness: {hang: true, ignore_sigterm: true}'));
    const cli = startCli(json(c), { cwd: c.dir });
    await waitForLog(c, '0002', 'Experiment ID:');
    process.kill(cli.pid, 'SIGINT'); // SIGTERM to the harness, which ignores it
    await cli.waitFor((e) => e.type === 'campaign.phase' && e.phase === 'stopping');
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.stderr).toContain('forced quit');
    expect(await processesMentioning(c.dir), 'harness processes left').toEqual([]);
    const manifest = readManifest(c); // valid JSON, whatever the moment of the forced exit
    expect(manifest.experiments[0]!.status).toBe('completed');
    expect(['running', 'pending']).toContain(manifest.experiments[1]!.status);
  });

  it('the reader of --json goes away (EPIPE): the campaign stops cleanly (exit 130), nothing left running', async () => {
    const c = makeCampaign('slow.yaml', 'epipe');
    const cli = startCli(json(c), { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    cli.proc.stdout!.destroy();
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(await processesMentioning(c.dir)).toEqual([]);
    // A broken pipe shows at the next write: 0001's end, at the latest.
    expect(readManifest(c).experiments.slice(1).map((e) => e.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('a second lem-tui on the same campaign while one runs: exit 2 naming the first; the first is undisturbed', async () => {
    const c = makeCampaign('slow.yaml', 'lock', { 'execution.cycles': 1 });
    const cli = startCli(json(c), { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    const second = await runCli(json(c, ['--resume']), { cwd: c.dir });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(`another lem-tui (pid ${cli.pid}) is running this campaign`);
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expectCompletedOnce(c, 2);
  });

  it('resume after a failure: --resume leaves failed experiments (exit 1, nothing run); --resume --yes runs them again', async () => {
    const c = makeCampaign('failing.yaml', 'resume-failed');
    expect((await runCli(json(c), { cwd: c.dir })).exitCode).toBe(1);
    const kept = await runCli(json(c, ['--resume']), { cwd: c.dir });
    expect(kept.exitCode, kept.stderr).toBe(1);
    const keptEvents = parseNdjson(kept.stdout);
    expect(ofType(keptEvents, 'experiment.started')).toEqual([]);
    expect(ofType(keptEvents, 'notice').map((e) => e.message)).toContain('1 failed experiments are not run again (--yes runs them)');
    expect(keptEvents.at(-1)).toMatchObject({ type: 'campaign.finished', exitCode: 1, completed: 2, failed: 1 });

    const rerun = await runCli(json(c, ['--resume', '--yes']), { cwd: c.dir });
    expect(rerun.exitCode).toBe(1); // it fails again, by design of the config
    expect(ofType(parseNdjson(rerun.stdout), 'experiment.started').map((e) => e.expId)).toEqual(['0002']);
    expect(readManifest(c).experiments.map((e) => e.status)).toEqual(['completed', 'failed', 'completed']);
    // Completed experiments were not run again.
    expect([...resultsByExperiment(c).entries()].map(([id, files]) => [id, files.length])).toEqual([
      ['0001', 1],
      ['0003', 1],
    ]);
  });

  it('piped without --no-tui (and colour allowed): the plain reporter, no escape codes; HF_TOKEN never printed or logged', async () => {
    const c = makeCampaign('basic.yaml', 'piped', { 'execution.cycles': 1 });
    const SECRET = 'secret-value';
    const r = await runCli([c.file, ...local], { cwd: c.dir, env: { NO_COLOR: undefined, HF_TOKEN: SECRET } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b/);
    expect(r.stderr).not.toMatch(/\u001b/);
    expect(r.stdout).toMatch(/finished in .*: 2 completed, 0 failed, 0 skipped of 2 \(exit 0\)/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const logs = ['0001', '0002'].map((id) => fs.readFileSync(path.join(c.resultsDir, id, 'logs', 'output.log'), 'utf8'));
    for (const log of logs) {
      expect(log).toContain('HF_TOKEN=***'); // the command is logged, masked
      expect(log).not.toContain(SECRET);
    }
    expect(fs.readFileSync(c.manifestPath, 'utf8')).not.toContain(SECRET);
    expectCompletedOnce(c, 2);
  });
});

// A run that finished although a stop had begun (a quit during its last
// seconds, or lem-tui SIGKILLed while its harness ran on): where the harness
// wrote a complete, readable result for that attempt, the experiment is
// completed with it, and --resume neither runs it again nor touches the file.
// The built CLI with local dispatch and real harness processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, LEM, makeCampaign, parseNdjson, readManifest, removeCampaignDirs, runCli, sleep, startCli, waitForLog, type Campaign } from '../helpers/cli.js';
import { killRecordedHarnesses, readHarnessRuns, writePipeDeafHarness } from '../helpers/pipeDeafHarness.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) killRecordedHarnesses(dir);
  removeCampaignDirs();
});

/** One experiment of `seconds`, whose harness may ignore SIGTERM. */
function oneExperiment(tag: string, seconds: number, harness: string, runner: Record<string, unknown> = {}): Campaign {
  const c = makeCampaign('basic.yaml', tag, { configs: ['configs/finishes.yaml'], 'execution.cycles': 1, ...runner });
  const config = `schema_version: '3.0.0'\nconfig_name: finishes\nmodel_name: Qwen/Qwen2.5-0.5B\nbackend: pytorch\nfp_precision: float16\ndataset: {name: ai_energy_score, sample_size: 10}\npytorch: {batch_size: 4}\nharness: {duration_seconds: ${seconds}${harness}}\n`;
  fs.writeFileSync(path.join(c.dir, 'configs', 'finishes.yaml'), config);
  dirs.push(c.dir);
  return c;
}

const resultFiles = (c: Campaign) => {
  const dir = path.join(c.resultsDir, 'aggregated');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => `${name} ${fs.statSync(path.join(dir, name)).mtimeMs}`) : [];
};

describe('a run that finished while a stop was in progress', () => {
  it('a quit during a run that still writes its result within the grace: completed with it, not run again on --resume', async () => {
    const c = oneExperiment('finish-in-grace', 4, ', ignore_sigterm: true', { 'runner.stop_grace_seconds': 30 });
    const args = [c.file, '--dispatch', 'local', '--lem-command', LEM, '--json'];
    const cli = startCli(args, { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    await sleep(500);
    process.kill(cli.pid, 'SIGINT');
    const done = await cli.done;
    expect(done.exitCode, done.stderr).toBe(130);
    const finished = parseNdjson(done.stdout).filter((e) => e.type === 'experiment.finished');
    expect(finished.map((e) => e.status)).toEqual(['completed']);
    expectCompletedOnce(c, 1);
    const files = resultFiles(c);

    const resumed = await runCli([...args, '--resume'], { cwd: c.dir });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(parseNdjson(resumed.stdout).filter((e) => e.type === 'experiment.started')).toEqual([]);
    expect(resultFiles(c)).toEqual(files);
  });

  it('lem-tui SIGKILLed while its harness ran on to a complete result: --resume keeps that result, runs nothing again', async () => {
    const c = oneExperiment('finish-after-kill', 4, '');
    const args = [c.file, '--dispatch', 'local', '--lem-command', writePipeDeafHarness(c.dir), '--json'];
    const cli = startCli(args, { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    process.kill(cli.pid, 'SIGKILL');
    await cli.done;
    const until = Date.now() + 30_000;
    while (readHarnessRuns(c.dir)[0]?.exitCode !== 0 && Date.now() < until) await sleep(200);
    expect(readHarnessRuns(c.dir).map((r) => r.exitCode), 'the harness ran on to its end').toEqual([0]);
    expect(readManifest(c).experiments[0]!.status).toBe('running');
    const files = resultFiles(c);
    expect(files).toHaveLength(1);

    const resumed = await runCli([...args, '--resume', '--yes'], { cwd: c.dir });
    expect(resumed.exitCode, resumed.stderr + resumed.stdout).toBe(0);
    const events = parseNdjson(resumed.stdout);
    expect(events.filter((e) => e.type === 'experiment.started')).toEqual([]);
    expect(events.some((e) => e.type === 'notice' && String(e.message).includes('kept as completed: 0001'))).toBe(true);
    expect(readHarnessRuns(c.dir)).toHaveLength(1);
    expectCompletedOnce(c, 1);
    expect(resultFiles(c)).toEqual(files);
  });
});

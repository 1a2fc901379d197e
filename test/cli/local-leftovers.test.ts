// Local dispatch after a SIGKILL of lem-tui: its harnesses (ones that ignore
// SIGPIPE, as a Python harness does) run on. The next start finds them from
// the records in the state dir and, with --yes, stops them before anything
// runs; without --yes and without a terminal it stops (exit 2) and names
// them. What overlapped is read from the harness's own records.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, makeCampaign, parseNdjson, processesMentioning, readManifest, removeCampaignDirs, runCli, sleep, startCli, waitForLog, type Campaign } from '../helpers/cli.js';
import { standInGpus } from '../helpers/gpus.js';
import { killRecordedHarnesses, overlappingRuns, readHarnessRuns, writePipeDeafHarness } from '../helpers/pipeDeafHarness.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) killRecordedHarnesses(dir);
  removeCampaignDirs();
});

/** Two configs of 20 s each, one cycle: one per GPU with --gpus 0,1. */
function twentySecondCampaign(tag: string): Campaign {
  const c = makeCampaign('basic.yaml', tag, { configs: ['configs/slow20_a.yaml', 'configs/slow20_b.yaml'], 'execution.cycles': 1 });
  for (const name of ['slow20_a', 'slow20_b']) {
    const config = `schema_version: '3.0.0'\nconfig_name: ${name}\nmodel_name: Qwen/Qwen2.5-0.5B\nbackend: pytorch\nfp_precision: float16\ndataset: {name: ai_energy_score, sample_size: 10}\npytorch: {batch_size: 4}\nharness: {duration_seconds: 20}\n`;
    fs.writeFileSync(path.join(c.dir, 'configs', `${name}.yaml`), config);
  }
  dirs.push(c.dir);
  return c;
}

describe('local dispatch: harnesses a SIGKILLed lem-tui left running', () => {
  it('--resume --yes stops them before anything runs: no two runs of one experiment, nor on one GPU, overlap; each completes once', async () => {
    const c = twentySecondCampaign('local-orphans');
    const args = [c.file, '--dispatch', 'local', '--lem-command', writePipeDeafHarness(c.dir), '--gpus', '0,1', '--json'];
    const env = standInGpus(2);
    const first = startCli(args, { cwd: c.dir, env });
    for (const expId of ['0001', '0002']) await waitForLog(c, expId, 'Experiment ID:');
    await sleep(1000);
    process.kill(first.pid, 'SIGKILL');
    await first.done;
    const orphans = readHarnessRuns(c.dir);
    expect(orphans.map((r) => r.expId).sort()).toEqual(['0001', '0002']);
    await sleep(500);
    expect(readHarnessRuns(c.dir).every((r) => r.exitCode === null), 'the harnesses outlived lem-tui').toBe(true);

    // No terminal, no --yes: exit 2, the harnesses named, nothing run.
    const refused = await runCli([...args, '--resume'], { cwd: c.dir, env });
    expect(refused.exitCode, refused.stdout).toBe(2);
    expect(refused.stderr).toMatch(/2 harnesses of this campaign from an earlier run are still running/);
    for (const run of orphans) expect(refused.stderr).toContain(`pid ${run.pid}: experiment ${run.expId}`);
    expect(refused.stderr).toMatch(/--yes/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readHarnessRuns(c.dir)).toHaveLength(2);

    const resumed = await runCli([...args, '--resume', '--yes'], { cwd: c.dir, env, timeoutMs: 100_000 });
    expect(resumed.exitCode, resumed.stderr + resumed.stdout).toBe(0);

    const runs = readHarnessRuns(c.dir);
    expect(runs).toHaveLength(4);
    expect(overlappingRuns(runs)).toEqual([]);
    // The orphans were stopped (SIGTERM: 143) before their results were written; the re-runs completed.
    expect(runs.slice(0, 2).map((r) => r.exitCode)).toEqual([143, 143]);
    const notes = parseNdjson(resumed.stdout).filter((e) => e.type === 'notice').map((e) => String(e.message));
    expect(notes.some((m) => m.startsWith('stopped 2 harnesses an earlier run left running'))).toBe(true);
    expect(runs.slice(2).map((r) => r.exitCode)).toEqual([0, 0]);
    expectCompletedOnce(c, 2);
    expect(readManifest(c).experiments.map((e) => e.retry_count)).toEqual([0, 0]);
    expect(fs.readdirSync(path.join(c.dir, '.state', 'local-runs'))).toEqual([]);
    expect(await processesMentioning(c.dir)).toEqual([]);
  });
});

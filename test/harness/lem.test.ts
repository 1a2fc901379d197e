// fixtures/harness/lem end to end: the real argv, the config lem-tui writes,
// result files in the format lem-tui reads, and every fault mode, under the
// host's sh and under busybox sh with only busybox applets on PATH.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeExperimentConfig } from '../../source/campaign/experimentConfigFile.js';
import { readMetrics, ResultFinder } from '../../source/campaign/results.js';
import type { PlannedExperiment } from '../../source/plan/types.js';
import { configSpec } from '../campaign/planFixture.js';
import { aggregatedFiles, killGroup, readJson, runLem, SHELLS, startLem, tempCampaignDir, type RunningLem } from './runLem.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();

const CAMPAIGN_ENV = {
  LEM_CAMPAIGN_ID: '3f2a9c1b',
  LEM_CAMPAIGN_NAME: 'demo-backend-comparison',
  LEM_CYCLE: '2',
  LEM_TOTAL_CYCLES: '3',
  LLM_ENERGY_VERBOSITY: 'normal',
};

const dirs: string[] = [];
const running: RunningLem[] = [];
function campaignDir(config?: Record<string, unknown>): string {
  const dir = tempCampaignDir(config);
  dirs.push(dir);
  return dir;
}
function start(...args: Parameters<typeof startLem>): RunningLem {
  const lem = startLem(...args);
  running.push(lem);
  return lem;
}
afterEach(() => {
  for (const lem of running.splice(0)) killGroup(lem, 'SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A config as lem-tui writes it, with `harness` control keys. */
function experiment(name: string, backend: 'pytorch' | 'vllm', extra: Record<string, unknown>): PlannedExperiment {
  return { expId: '0005', index: 4, cycleIndex: 1, config: configSpec(name, backend, extra) };
}

describe.each(SHELLS)('fixtures/harness/lem under $name', (shell) => {
  it('--help, --version and argv errors', async () => {
    const cwd = campaignDir({ config_name: 'x' });
    const help = await runLem(shell, ['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/Usage: lem .*experiment CONFIG/s);
    const version = await runLem(shell, ['--version'], { cwd });
    expect(version).toMatchObject({ code: 0, stdout: [expect.stringMatching(/^lem-harness \d/)] });
    expect((await runLem(shell, ['experiment', '--help'], { cwd })).code).toBe(0);
    expect((await runLem(shell, [], { cwd })).code).toBe(2);
    expect((await runLem(shell, ['train'], { cwd })).stderr.join('\n')).toMatch(/no such command 'train'/);
    const bogus = await runLem(shell, ['experiment', 'config.yaml', '--bogus'], { cwd });
    expect(bogus.code).toBe(2);
    expect(bogus.stderr.join('\n')).toMatch(/no such option: --bogus/);
    expect((await runLem(shell, ['experiment', 'config.yaml', '--results-dir'], { cwd })).code).toBe(2);
    expect((await runLem(shell, ['experiment', 'config.yaml', '--sample-size', 'many'], { cwd })).code).toBe(2);
    const missing = await runLem(shell, ['experiment', 'nope.yaml', '--yes'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr.join('\n')).toMatch(/config file not found: nope.yaml/);
    expect(aggregatedFiles(path.join(cwd, 'results'))).toEqual([]);
  });

  it('runs the config lem-tui writes and leaves a result lem-tui finds by its metadata', async () => {
    const cwd = campaignDir();
    const exp = experiment('pytorch_fp16', 'pytorch', {
      fp_precision: 'float16',
      dataset: { name: 'ai_energy_score', sample_size: 40 },
      pytorch: { batch_size: 4 },
      harness: { duration_seconds: 0.6 },
    });
    const configFile = await writeExperimentConfig(path.join(cwd, 'configs'), exp, { name: 'demo-backend-comparison', id: '3f2a9c1b' });
    const resultsDir = path.join(cwd, 'out');
    const since = Date.now() - 1000;
    const started = Date.now();
    const run = await runLem(shell, ['experiment', configFile, '--yes', '--fresh', '--results-dir', resultsDir], { cwd, env: CAMPAIGN_ENV });
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500); // it took its duration
    const out = run.stdout.join('\n');
    expect(out).toContain('Campaign: demo-backend-comparison [3f2a9c1b] cycle 2/3');
    expect(out).toMatch(/Loading model Qwen\/Qwen2\.5-0\.5B\.\.\./);
    expect(out).toMatch(/^warmup 5\/5$/m);
    expect(out).toMatch(/^batch 10\/10 · 512 tokens · [\d.]+ tok\/s$/m);
    expect(out).toMatch(/^Energy: [\d.]+ J/m);
    expect(out).toMatch(/Experiment complete\.$/);

    // Its own id names the files; ours is inside, as _metadata.experiment_id.
    const [file, ...others] = aggregatedFiles(resultsDir);
    expect(others).toEqual([]);
    const result = readJson(file!);
    const ownId = result.experiment_id as string;
    expect(ownId).toMatch(/^exp_\d{8}_\d{6}_\d+/);
    expect(path.basename(file!)).toBe(`${ownId}.json`);
    expect(result).toMatchObject({
      schema_version: '3.0.0',
      backend: 'pytorch',
      total_tokens: 40 * 128,
      energy_tracking_failed: false,
      energy_breakdown: { raw_j: expect.any(Number), adjusted_j: expect.any(Number), baseline_power_w: 42.5 },
      environment_snapshot: { hardware: { gpu: { name: expect.stringContaining('synthetic'), vram_total_mb: 81920 } } },
      effective_config: {
        config_name: 'pytorch_fp16',
        backend: 'pytorch',
        fp_precision: 'float16',
        batch_size: 4,
        _metadata: { experiment_id: '0005', campaign_name: 'demo-backend-comparison', campaign_id: '3f2a9c1b', cycle_id: 2, config_name: 'pytorch_fp16' },
      },
      harness: { synthetic: true, campaign_id: '3f2a9c1b', cycle: 2, total_cycles: 3, verbosity: 'normal' },
    });
    for (const key of ['total_energy_j', 'total_inference_time_sec', 'avg_tokens_per_second', 'avg_energy_per_token_j', 'total_flops']) {
      expect(result[key], key).toBeGreaterThan(0);
    }
    expect(result.avg_energy_per_token_j).toBeCloseTo(result.total_energy_j / result.total_tokens, 6);
    expect(result.total_inference_time_sec).toBeCloseTo(result.total_tokens / result.avg_tokens_per_second, 2);

    const raw = readJson(path.join(resultsDir, 'raw', ownId, 'process_0.json'));
    expect(raw).toMatchObject({ experiment_id: ownId, process_index: 0, total_tokens: 40 * 128, total_energy_j: result.total_energy_j });

    const found = await new ResultFinder(resultsDir).find('0005', { since });
    expect(found).toBe(file);
    const metrics = await readMetrics(found!);
    expect(metrics).toMatchObject({ energyJ: result.total_energy_j, totalTokens: 5120, energyTrackingFailed: false });
    expect(metrics!.tokensPerJoule).toBeCloseTo(5120 / result.total_energy_j, 9);
  });

  it('numbers follow the config deterministically, with a little noise from the cycle', async () => {
    const cwd = campaignDir();
    const measure = async (config: Record<string, unknown>, cycle: string) => {
      const file = path.join(cwd, `c${Math.random().toString(16).slice(2)}.yaml`);
      fs.writeFileSync(file, `config_name: m\nmodel_name: Qwen/Qwen2.5-0.5B\nharness: {duration_seconds: 0}\n${Object.entries(config).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
      const resultsDir = path.join(cwd, `r${Math.random().toString(16).slice(2)}`);
      const run = await runLem(shell, ['experiment', file, '--results-dir', resultsDir, '--sample-size', '10'], { cwd, env: { LEM_CYCLE: cycle } });
      expect(run.code).toBe(0);
      const result = readJson(aggregatedFiles(resultsDir)[0]!);
      return { tps: result.avg_tokens_per_second as number, energy: result.total_energy_j as number };
    };
    const base = await measure({ backend: 'pytorch', fp_precision: 'float16' }, '1');
    expect(await measure({ backend: 'pytorch', fp_precision: 'float16' }, '1')).toEqual(base);
    const otherCycle = await measure({ backend: 'pytorch', fp_precision: 'float16' }, '2');
    expect(otherCycle.tps).not.toBe(base.tps);
    expect(Math.abs(otherCycle.tps / base.tps - 1)).toBeLessThan(0.05);
    expect((await measure({ backend: 'vllm', fp_precision: 'float16' }, '1')).tps).toBeGreaterThan(base.tps * 2);
    expect((await measure({ backend: 'pytorch', fp_precision: 'float32' }, '1')).tps).toBeLessThan(base.tps);
    expect((await measure({ backend: 'pytorch', fp_precision: 'float16', 'pytorch:\n  batch_size': 16 }, '1')).tps).toBeGreaterThan(base.tps * 3);
  });

  it('without --results-dir it writes ./results (or /app/results where that exists)', async () => {
    const cwd = campaignDir({ config_name: 'x', harness: { duration_seconds: 0 } });
    const run = await runLem(shell, ['experiment', 'config.yaml', '--yes', '--fresh'], { cwd });
    expect(run.code).toBe(0);
    const where = fs.existsSync('/app/results') ? '/app/results' : path.join(cwd, 'results');
    expect(run.stdout.join('\n')).toContain(`Results saved: ${where === '/app/results' ? where : './results'}/aggregated/`);
  });

  it('reads block and flow mappings, quotes and comments', async () => {
    const cwd = campaignDir();
    fs.writeFileSync(
      path.join(cwd, 'config.yaml'),
      [
        '# a comment',
        "config_name: 'quoted # name'   # trailing comment",
        'backend: "vllm"',
        'gpus:',
        '  - 0',
        'vllm:',
        '  max_num_seqs: 6',
        '  nested:',
        '    batch_size: 99',
        'harness: { duration_seconds: 0, no_energy: true }',
        '_metadata: {experiment_id: "0042", cycle_id: 3}',
        '',
      ].join('\n'),
    );
    const run = await runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd });
    expect(run.code).toBe(0);
    const result = readJson(aggregatedFiles(path.join(cwd, 'res'))[0]!);
    expect(result.effective_config).toMatchObject({
      config_name: 'quoted # name',
      backend: 'vllm',
      batch_size: 6,
      _metadata: { experiment_id: '0042', cycle_id: 3 },
    });
    expect(result).toMatchObject({ energy_tracking_failed: true, total_energy_j: 0, energy_breakdown: null });
  });

  it('fail and exit_code: some output, then the status, and no result', async () => {
    const cwd = campaignDir({ config_name: 'x', harness: { duration_seconds: 0, fail: true } });
    const failed = await runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stdout.join('\n')).toContain('warmup 5/5');
    expect(failed.stderr.join('\n')).toMatch(/RuntimeError: synthetic failure/);
    expect(aggregatedFiles(path.join(cwd, 'res'))).toEqual([]);
    fs.writeFileSync(path.join(cwd, 'config.yaml'), 'harness:\n  duration_seconds: 0\n  exit_code: 3\n');
    expect((await runLem(shell, ['experiment', 'config.yaml'], { cwd })).code).toBe(3);
  });

  it('no_result and malformed_result: exit 0 with nothing lem-tui can use', async () => {
    const cwd = campaignDir({ harness: { duration_seconds: 0, no_result: true }, _metadata: { experiment_id: '0001' } });
    const since = Date.now() - 1000;
    expect((await runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'a'], { cwd })).code).toBe(0);
    expect(aggregatedFiles(path.join(cwd, 'a'))).toEqual([]);
    fs.writeFileSync(path.join(cwd, 'config.yaml'), 'harness: {duration_seconds: 0, malformed_result: true}\n_metadata:\n  experiment_id: "0001"\n');
    expect((await runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'b'], { cwd })).code).toBe(0);
    const [file] = aggregatedFiles(path.join(cwd, 'b'));
    expect(() => readJson(file!)).toThrow();
    expect(await readMetrics(file!)).toBeNull();
    expect(await new ResultFinder(path.join(cwd, 'b')).find('0001', { since })).toBeNull();
  });

  it('hang: prints a line, then nothing; SIGTERM ends it at once and leaves no process behind', async () => {
    const cwd = campaignDir({ config_name: 'h', harness: { hang: true } });
    const lem = start(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd });
    await lem.waitForLine(/^Loading model/);
    await sleep(1200);
    const lines = lem.stdout.length;
    expect(lem.child.exitCode).toBeNull();
    await sleep(300);
    expect(lem.stdout.length).toBe(lines);
    const killedAt = Date.now();
    lem.child.kill('SIGTERM');
    expect(await lem.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(Date.now() - killedAt).toBeLessThan(500);
    // Its pending `sleep` went with it (checked at once: a leaked one lives on for up to 1 s).
    for (let i = 0; i < 10 && lem.groupAlive(); i += 1) await sleep(15);
    expect(lem.groupAlive()).toBe(false);
  });

  it('silent_hang: no output at all until killed', async () => {
    const cwd = campaignDir({ harness: { silent_hang: true } });
    const lem = start(shell, ['experiment', 'config.yaml'], { cwd });
    await sleep(1000);
    expect(lem.child.exitCode).toBeNull();
    expect(lem.stdout).toEqual([]);
    lem.child.kill('SIGINT');
    expect((await lem.exit).signal).toBe('SIGINT');
  });

  it('ignore_sigterm: SIGTERM does nothing, SIGKILL does', async () => {
    const cwd = campaignDir({ harness: { hang: true, ignore_sigterm: true } });
    const lem = start(shell, ['experiment', 'config.yaml'], { cwd });
    await lem.waitForLine(/^Loading model/);
    lem.child.kill('SIGTERM');
    await sleep(700);
    expect(lem.child.exitCode).toBeNull();
    expect(lem.child.signalCode).toBeNull();
    killGroup(lem, 'SIGKILL');
    expect((await lem.exit).signal).toBe('SIGKILL');
  });

  it('SIGTERM during a normal run ends it without a result', async () => {
    const cwd = campaignDir({ harness: { duration_seconds: 5 } });
    const lem = start(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd });
    await lem.waitForLine(/^warmup 1\/5$/);
    lem.child.kill('SIGTERM');
    expect((await lem.exit).signal).toBe('SIGTERM');
    expect(aggregatedFiles(path.join(cwd, 'res'))).toEqual([]);
  });

  it('self_signal: ends by that signal', async () => {
    const cwd = campaignDir({ harness: { duration_seconds: 0, self_signal: 'KILL' } });
    expect(await runLem(shell, ['experiment', 'config.yaml'], { cwd })).toMatchObject({ signal: 'SIGKILL' });
  });

  it('flood: paced lines for the given time, then a normal run', async () => {
    const cwd = campaignDir({ config_name: 'f', harness: { duration_seconds: 0, flood_lines_per_second: 3000, flood_seconds: 1 } });
    const started = Date.now();
    const run = await runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd });
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(run.stdout.filter((line) => line.startsWith('flood ')).length).toBe(3000);
    expect(run.stdout.at(-1)).toBe('Experiment complete.');
    expect(aggregatedFiles(path.join(cwd, 'res'))).toHaveLength(1);
  });

  it('flood without a rate prints as fast as it can', async () => {
    const cwd = campaignDir({ harness: { duration_seconds: 0, flood_seconds: 1 } });
    const run = await runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout.filter((line) => line.startsWith('flood ')).length).toBeGreaterThan(5000);
  });

  it('quiet verbosity prints only the essentials', async () => {
    const cwd = campaignDir({ harness: { duration_seconds: 0 } });
    const run = await runLem(shell, ['experiment', 'config.yaml'], { cwd, env: { LLM_ENERGY_VERBOSITY: 'quiet' } });
    expect(run.code).toBe(0);
    expect(run.stdout.some((line) => line.startsWith('warmup') || line.startsWith('batch'))).toBe(false);
    expect(run.stdout.at(-1)).toBe('Experiment complete.');
  });

  it('two runs started in the same second get distinct ids', async () => {
    const cwd = campaignDir({ harness: { duration_seconds: 0 } });
    const runs = await Promise.all([1, 2, 3].map(() => runLem(shell, ['experiment', 'config.yaml', '--results-dir', 'res'], { cwd })));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(new Set(aggregatedFiles(path.join(cwd, 'res'))).size).toBe(3);
  });
});

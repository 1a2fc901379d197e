// --gpus end to end with local dispatch: the built CLI, the stand-in harness
// and the stand-in nvidia-smi (four GPUs). What overlapped and on which GPU
// is read from the harness's own records, not from lem-tui's.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, readManifest, removeCampaignDirs, runCli } from '../helpers/cli.js';
import { PATH_WITHOUT_SMI, standInGpus, standInUuid } from '../helpers/gpus.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { mostAtOnce, readHarnessRecords, sharedGpuOverlaps } from '../../bench/harnessRecords.mjs';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const local = ['--dispatch', 'local', '--lem-command', LEM, '--no-tui', '--yes'];
const fourGpus = () => ({ ...standInGpus(4), CUDA_VISIBLE_DEVICES: '0' });

const slowPair = { configs: ['configs/pytorch_slow.yaml', 'configs/vllm_slow.yaml'], 'execution.cycles': 3 };

describe('--gpus (local dispatch, stand-in nvidia-smi)', () => {
  it('runs one experiment per listed GPU at once, never two on one GPU, each exactly once', async () => {
    const c = makeCampaign('basic.yaml', 'gpus', slowPair);
    const r = await runCli([c.file, ...local, '--gpus', '1,3'], { cwd: c.dir, env: fourGpus() });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const records = readHarnessRecords(c.resultsDir);
    expect(records).toHaveLength(6);
    expect(sharedGpuOverlaps(records)).toEqual([]);
    expect(mostAtOnce(records)).toBe(2);
    // Only the listed GPUs, by UUID (what nvidia-smi -L says of 1 and 3), never the caller's CUDA_VISIBLE_DEVICES=0.
    expect(new Set(records.map((x) => x.cudaVisibleDevices))).toEqual(new Set([standInUuid(1), standInUuid(3)]));
    expect(records.map((x) => x.metaId).sort()).toEqual(['0001', '0002', '0003', '0004', '0005', '0006']);
    expect(r.stdout).toMatch(/on GPU [13]/);
    expect(readManifest(c).experiments.every((e) => e.status === 'completed')).toBe(true);
  });

  it('--gpus all takes every GPU nvidia-smi -L lists', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-all', { ...slowPair, 'execution.cycles': 2 });
    const r = await runCli([c.file, ...local, '--gpus', 'all'], { cwd: c.dir, env: fourGpus() });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const records = readHarnessRecords(c.resultsDir);
    expect(sharedGpuOverlaps(records)).toEqual([]);
    // Two configs a cycle, and cycles do not overlap: at most two at once of four GPUs.
    expect(mostAtOnce(records)).toBe(2);
  });

  it('a GPU nvidia-smi does not list: exit 2, one clear line, nothing run or written', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-bad', slowPair);
    const r = await runCli([c.file, ...local, '--gpus', '0,7'], { cwd: c.dir, env: fourGpus() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--gpus: no GPU 7 (nvidia-smi -L lists 0, 1, 2, 3)');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(c.manifestPath)).toBe(false);
    expect(readHarnessRecords(c.resultsDir)).toEqual([]);
  });

  it('--gpus all without nvidia-smi, or a bad value: exit 2 with the reason', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-nosmi', slowPair);
    const none = await runCli([c.file, ...local, '--gpus', 'all'], { cwd: c.dir, env: { PATH: PATH_WITHOUT_SMI } });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('--gpus all needs nvidia-smi to list the GPUs, and nvidia-smi is not found');
    const bad = await runCli([c.file, ...local, '--gpus', '0,zero'], { cwd: c.dir, env: fourGpus() });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--gpus: expected GPU indices (0, 1, …) or UUIDs (GPU-…), got "zero"');
  });

  it('runner.gpus in the campaign file: a wrong value is an error with its file and line', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-yaml', { ...slowPair, 'runner.gpus': [0, 0] });
    const r = await runCli([c.file, ...local], { cwd: c.dir, env: fourGpus() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/basic\.yaml:\d+.*runner\.gpus.*GPU 0 is listed twice/s);
    expect(fs.existsSync(c.manifestPath)).toBe(false);
  });

  // The GPUs named in a file are checked against nvidia-smi -L only at the run: the message still names the setting at its place.
  it('runner.gpus naming a GPU the host lacks: file:line:col runner.gpus, not --gpus; exit 2, nothing run', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-yaml-missing', { ...slowPair, 'runner.gpus': '0,7' });
    for (const extra of [[], ['--dry-run']]) {
      const r = await runCli([path.basename(c.file), ...local, ...extra], { cwd: c.dir, env: fourGpus() });
      expect(r.exitCode, extra.join(' ')).toBe(2);
      const [line, column] = placeOf(c.file, /^ {2}gpus: "?0,7/);
      expect(r.stderr.trim()).toBe(`basic.yaml:${line}:${column} runner.gpus: no GPU 7 (nvidia-smi -L lists 0, 1, 2, 3)`);
    }
    expect(fs.existsSync(c.manifestPath)).toBe(false);
    expect(readHarnessRecords(c.resultsDir)).toEqual([]);
  });

  it('runner.gpus in .lem-config.yaml: that file and line', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-user-missing', slowPair);
    fs.writeFileSync(path.join(c.dir, '.lem-config.yaml'), 'runner:\n  gpus: [0, 9]\n');
    const r = await runCli([path.basename(c.file), ...local], { cwd: c.dir, env: fourGpus() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('.lem-config.yaml:2:9 runner.gpus: no GPU 9 (nvidia-smi -L lists 0, 1, 2, 3)');
  });

  it('gpus_per_experiment above the GPUs given: its own file:line:col, and where the GPUs were named', async () => {
    const c = makeCampaign('basic.yaml', 'gpus-per', { ...slowPair, 'runner.gpus': '1', 'runner.gpus_per_experiment': 2 });
    const r = await runCli([path.basename(c.file), ...local], { cwd: c.dir, env: fourGpus() });
    expect(r.exitCode).toBe(2);
    const [gpusLine, gpusColumn] = placeOf(c.file, /^ {2}gpus: "?1/);
    const [perLine, perColumn] = placeOf(c.file, /^ {2}gpus_per_experiment: 2/);
    expect(r.stderr.trim()).toBe(
      `basic.yaml:${perLine}:${perColumn} runner.gpus_per_experiment: 2 GPUs per experiment, but ` +
        `basic.yaml:${gpusLine}:${gpusColumn} runner.gpus gives 1 GPU (1): list at least as many GPUs as one experiment needs`,
    );
    // With --gpus the flag is named instead.
    const flag = await runCli([path.basename(c.file), ...local, '--gpus', '3'], { cwd: c.dir, env: fourGpus() });
    expect(flag.stderr.trim()).toContain('runner.gpus_per_experiment: 2 GPUs per experiment, but --gpus gives 1 GPU (3)');
  });
});

/** 1-based line and column of the value on the first line of `file` that matches `pattern` (`key: value`). */
function placeOf(file: string, pattern: RegExp): [number, number] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => pattern.test(l));
  expect(index, `${pattern} in ${file}`).toBeGreaterThanOrEqual(0);
  return [index + 1, lines[index]!.indexOf(': ') + 3];
}

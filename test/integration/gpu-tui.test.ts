// The GPU panel as a user sees it: the built CLI in a real terminal (tmux)
// with local dispatch, the stand-in harness and the stand-in nvidia-smi
// first on PATH. Two GPUs at 80×24: one line each, live; the experiments
// table gains the host's energy; q at the summary leaves no sampler behind.
// Sixteen GPU slots: no warning of Node's is written over the screen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, LEM, makeCampaign, removeCampaignDirs, ROOT } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { shellQuote, startTmux, type TmuxSession } from '../helpers/tmux.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const TUI_ENV = { CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined };
const PATH_WITHOUT_SMI = (process.env.PATH ?? '').split(':').filter((dir) => dir && !fs.existsSync(path.join(dir, 'nvidia-smi'))).join(':');

let tmux: TmuxSession | null = null;
afterEach(async () => {
  await tmux?.kill();
  tmux = null;
});

describe('GPU panel in the TUI (stand-in nvidia-smi)', () => {
  it('shows both GPUs live at 80×24, the host energy per experiment, and stops the sampler on exit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-tui-'));
    const state = path.join(dir, 'state.json');
    const pids = path.join(dir, 'pids');
    const write = (temp0: number, throttled: boolean) =>
      fs.writeFileSync(state, JSON.stringify({ gpus: [{ index: 0, powerW: 210, temperatureC: temp0, throttled, memoryUsedMiB: 40_960 }, { index: 1, powerW: 95, temperatureC: 38 }] }));
    write(55, false);
    const c = makeCampaign('basic.yaml', 'gpu-tui', { configs: ['configs/pytorch_slow.yaml'], 'execution.cycles': 2, 'runner.gpu_telemetry_interval_ms': 200 });
    const command = ['node', CLI, c.file, '--dispatch', 'local', '--lem-command', LEM].map(shellQuote).join(' ');
    tmux = await startTmux(command, {
      cols: 80,
      rows: 24,
      cwd: c.dir,
      env: { ...TUI_ENV, PATH: `${path.join(ROOT, 'fixtures/gpu/bin')}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: state, LEM_FAKE_GPU_PIDS: pids },
    });
    const panel = await tmux.waitForScreen(/GPU0 +H200 +210 W.*40\.0\/140 GiB.*55 °C/, 30_000);
    expect(panel).toMatch(/GPU1 +H200 +95 W/);
    write(83, true); // the stand-in re-reads its state every sample: the panel follows
    await tmux.waitForScreen(/GPU0 .*83 °C.*⚠/, 15_000);
    await tmux.waitForScreen(/HOST J/, 60_000); // the table gains the column with the first measured experiment
    const summary = await tmux.waitForScreen(/2 completed · exit 0/, 60_000);
    expect(summary).toContain('HOST J'); // the summary's per-config host energy
    expect(summary).toMatch(/pytorch_slow +pytorch +2 /);
    await tmux.press('q');
    expect(await tmux.waitForExit(20_000)).toBe(0);
    const started = fs.readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(started.length).toBeGreaterThanOrEqual(2);
    const alive = started.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });

  it('a sampler that stops printing: the panel marks its readings stale instead of showing them as live', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-tui-stale-'));
    const state = path.join(dir, 'state.json');
    const gpus = [{ index: 0, powerW: 210, temperatureC: 55 }, { index: 1, powerW: 95, temperatureC: 38 }];
    fs.writeFileSync(state, JSON.stringify({ gpus }));
    const c = makeCampaign('basic.yaml', 'gpu-tui-silent', { configs: ['configs/run_8s.yaml'], 'execution.cycles': 1, 'runner.gpu_telemetry_interval_ms': 200 });
    const base = fs.readFileSync(path.join(c.dir, 'configs/pytorch_slow.yaml'), 'utf8');
    fs.writeFileSync(path.join(c.dir, 'configs/run_8s.yaml'), base.replace(/^config_name: .*$/m, 'config_name: run_8s').replace(/duration_seconds: \d+/, 'duration_seconds: 8'));
    const command = ['node', CLI, c.file, '--dispatch', 'local', '--lem-command', LEM].map(shellQuote).join(' ');
    tmux = await startTmux(command, {
      cols: 80,
      rows: 24,
      cwd: c.dir,
      env: { ...TUI_ENV, PATH: `${path.join(ROOT, 'fixtures/gpu/bin')}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: state },
    });
    const live = await tmux.waitForScreen(/GPU0 +H200 +210 W/, 30_000);
    expect(live).not.toMatch(/⚠ stale/);
    fs.writeFileSync(state, JSON.stringify({ gpus, fail: 'stall' }));
    const stale = await tmux.waitForScreen(/GPU1 .*⚠ stale \d+s/, 15_000);
    expect(stale).toMatch(/GPU0 .*⚠ stale \d+s/);
    await tmux.waitForScreen(/1 completed · exit 0/, 60_000);
    await tmux.press('q');
    expect(await tmux.waitForExit(20_000)).toBe(0);
  });

  it('16 GPU slots: no Node warning is written over the screen', async () => {
    const c = makeCampaign('basic.yaml', 'gpu-tui-16');
    const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-tui-16-')), 'state.json');
    fs.writeFileSync(state, JSON.stringify({ gpus: Array.from({ length: 16 }, (_, index) => ({ index, name: 'NVIDIA H200' })) }));
    const command = ['node', CLI, c.file, '--dispatch', 'local', '--lem-command', LEM, '--gpus', 'all'].map(shellQuote).join(' ');
    tmux = await startTmux(command, {
      cols: 100,
      rows: 30,
      cwd: c.dir,
      env: { ...TUI_ENV, PATH: `${path.join(ROOT, 'fixtures/gpu/bin')}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: state },
    });
    await tmux.waitForScreen(/4 completed · exit 0/, 60_000);
    const written = await tmux.raw();
    expect(written).not.toMatch(/Warning|\(node:\d+\)/);
    await tmux.press('q');
    expect(await tmux.waitForExit(20_000)).toBe(0);
  });
});

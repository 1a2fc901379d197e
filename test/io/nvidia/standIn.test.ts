// The stand-in nvidia-smi (fixtures/gpu/bin/nvidia-smi) answers the way the
// real one does for what lem-tui and its tests use (fixtures/gpu/README.md).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capture, runStreaming } from '../../../source/io/process/process.js';
import { allowRealProcessTime } from '../../helpers/realProcesses.js';

allowRealProcessTime();

const SMI = path.resolve('fixtures/gpu/bin/nvidia-smi');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const TWO = {
  gpus: [
    { index: 0, uuid: 'GPU-a', name: 'NVIDIA H200', powerW: 75.234, memoryUsedMiB: 1024, memoryTotalMiB: 143771, utilizationPct: 45, temperatureC: 34 },
    { index: 1, uuid: 'GPU-b', name: 'NVIDIA H200', powerW: 80, throttled: true },
  ],
  notAvailable: { '1': ['memory.used'] },
  notSupported: { '1': ['utilization.gpu'] },
};

function withState(state: object): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lem-gpu-standin-'));
  dirs.push(dir);
  const file = path.join(dir, 'state.json');
  writeFileSync(file, JSON.stringify(state));
  return { LEM_FAKE_GPU_STATE: file };
}

describe('stand-in nvidia-smi', () => {
  it('csv: a header with units, then values with units; N/A and Not Supported bracketed', async () => {
    const r = await capture([SMI, '--query-gpu=index,name,power.draw,memory.used,utilization.gpu,temperature.gpu', '--format=csv'], { env: withState(TWO) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'index, name, power.draw [W], memory.used [MiB], utilization.gpu [%], temperature.gpu',
      '0, NVIDIA H200, 75.23 W, 1024 MiB, 45 %, 34',
      '1, NVIDIA H200, 80.00 W, [N/A], [Not Supported], 34',
    ]);
  });

  it('noheader,nounits, also as separate arguments; aliases; throttle flags', async () => {
    const r = await capture(
      [SMI, '--query-gpu', 'index,gpu_uuid,power.draw,clocks_throttle_reasons.hw_thermal_slowdown,clocks_event_reasons.sw_thermal_slowdown', '--format', 'csv,noheader,nounits'],
      { env: withState(TWO) },
    );
    expect(r.stdout.split('\n')).toEqual(['0, GPU-a, 75.23, Not Active, Not Active', '1, GPU-b, 80.00, Active, Active']);
  });

  it('an unknown field: the real message and an empty line on stdout, exit 2, nothing else', async () => {
    const r = await capture([SMI, '--query-gpu=index,bogus.field', '--format=csv'], { env: withState(TWO) });
    expect(r.exitCode).toBe(2);
    // The message, then an empty line (capture strips only the final newline).
    expect(r.stdout).toBe('Field "bogus.field" is not a valid field to query.\n');
    expect(r.stderr).toBe('');
  });

  it('-i selects by index or UUID; an unknown id: No devices were found, exit 6', async () => {
    const env = withState(TWO);
    expect((await capture([SMI, '-i', 'GPU-b', '--query-gpu=index', '--format=csv,noheader'], { env })).stdout).toBe('1');
    expect((await capture([SMI, '--id=0', '--query-gpu=index', '--format=csv,noheader'], { env })).stdout).toBe('0');
    const none = await capture([SMI, '-i', '7', '--query-gpu=index', '--format=csv'], { env });
    expect([none.exitCode, none.stdout]).toEqual([6, 'No devices were found']);
  });

  it('-L lists the GPUs; --help-query-gpu the properties', async () => {
    const env = withState(TWO);
    expect((await capture([SMI, '-L'], { env })).stdout).toBe('GPU 0: NVIDIA H200 (UUID: GPU-a)\nGPU 1: NVIDIA H200 (UUID: GPU-b)');
    const help = (await capture([SMI, '--help-query-gpu'], { env })).stdout;
    expect(help.startsWith('List of valid properties to query for the switch "--query-gpu=":')).toBe(true);
    expect(help).toContain('"power.draw"\nThe last measured power draw');
  });

  it('without a state file: one H200', async () => {
    const r = await capture([SMI, '--query-gpu=index,name,memory.total', '--format=csv,noheader,nounits'], { env: { LEM_FAKE_GPU_STATE: '' } });
    expect(r.stdout).toBe('0, NVIDIA H200, 143771');
  });

  it('a failed driver: the real message, exit 9', async () => {
    const r = await capture([SMI, '--query-gpu=index', '--format=csv'], { env: withState({ fail: 'driver' }) });
    expect(r.exitCode).toBe(9);
    expect(r.stdout).toMatch(/^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/);
  });

  it('-lms prints a block per interval until SIGTERM, then exits 0', async () => {
    const abort = new AbortController();
    const lines: string[] = [];
    const result = await runStreaming([SMI, '--query-gpu=index', '--format=csv,noheader', '-lms', '30'], {
      env: withState(TWO),
      signal: abort.signal,
      onLine: (line) => {
        lines.push(line);
        if (lines.length === 6) abort.abort();
      },
    });
    expect(lines.slice(0, 6)).toEqual(['0', '1', '0', '1', '0', '1']);
    expect(result.exitCode).toBe(0);
  });

  it('exit-after-blocks:N: a loop exits 1 after N blocks', async () => {
    const lines: string[] = [];
    const result = await runStreaming([SMI, '--query-gpu=index', '--format=csv,noheader', '--loop-ms=20'], {
      env: withState({ ...TWO, fail: 'exit-after-blocks:3' }),
      onLine: (line) => lines.push(line),
    });
    expect([result.exitCode, lines.length]).toEqual([1, 6]);
  });

  it('ghostGpus appear only in a loop; garbage replaces a field every garbageEvery-th block (a single query is block 1)', async () => {
    const state = { ...TWO, ghostGpus: [{ index: 9 }], garbage: { '0': { 'power.draw': 'lots' } }, garbageEvery: 2 };
    const once = await capture([SMI, '--query-gpu=index,power.draw', '--format=csv,noheader,nounits'], { env: withState(state) });
    expect(once.stdout).toBe('0, 75.23\n1, 80.00');
    expect((await capture([SMI, '-L'], { env: withState(state) })).stdout).not.toContain('GPU 9');
    const abort = new AbortController();
    const lines: string[] = [];
    await runStreaming([SMI, '--query-gpu=index,power.draw', '--format=csv,noheader,nounits', '-lms', '20'], {
      env: withState(state),
      signal: abort.signal,
      onLine: (line) => {
        lines.push(line);
        if (lines.length === 9) abort.abort();
      },
    });
    expect(lines.slice(0, 9)).toEqual(['0, 75.23', '1, 80.00', '9, 75.23', '0, lots', '1, 80.00', '9, 75.23', '0, 75.23', '1, 80.00', '9, 75.23']);
  });

  it('fail "stall": a loop stays alive and prints nothing while the state says so, then prints again', async () => {
    const env = withState({ ...TWO, fail: 'stall' });
    const abort = new AbortController();
    const lines: string[] = [];
    const started = Date.now();
    const done = runStreaming([SMI, '--query-gpu=index', '--format=csv,noheader', '-lms', '20'], { env, signal: abort.signal, onLine: (line) => lines.push(line) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines).toEqual([]);
    writeFileSync(env.LEM_FAKE_GPU_STATE!, JSON.stringify(TWO));
    while (lines.length < 2 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    expect((await done).exitCode).toBe(0);
    expect(lines.slice(0, 2)).toEqual(['0', '1']);
  });
});

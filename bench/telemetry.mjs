#!/usr/bin/env node
// The cost of GPU telemetry: lem-tui's own CPU over a 2-minute campaign
// (fixtures/bench/telemetry.yaml, local dispatch, stand-in harness) with
// `--gpu-telemetry off` and with telemetry on (the stand-in nvidia-smi of
// fixtures/gpu/bin first on PATH, 500 ms samples), alternated.
//   node bench/telemetry.mjs [--repeats 2] [--interval-ms 500]
// The stand-in's own CPU is not lem-tui's and is reported apart (a real
// nvidia-smi is a C program and costs far less than a Node stand-in).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { CLI, HARNESS, ROOT, args, fmt, freshBenchDir, median, printMachine, procSample, rmrf } from './lib.mjs';

const opt = args({ repeats: '2', 'interval-ms': '500' });
const STAND_IN_BIN = path.join(ROOT, 'fixtures', 'gpu', 'bin');

async function campaign(telemetry) {
  const dir = freshBenchDir('telemetry');
  const state = path.join(dir, 'gpu-state.json');
  fs.writeFileSync(state, JSON.stringify({ gpus: [{ index: 0, powerW: 250, powerRampWPerS: 1 }, { index: 1, powerW: 90 }] }));
  const text = fs.readFileSync(path.join(dir, 'telemetry.yaml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'telemetry.yaml'), `${text}runner:\n  gpu_telemetry_interval_ms: ${Number(opt['interval-ms'])}\n`);
  const env = { ...process.env, PATH: `${STAND_IN_BIN}:${process.env.PATH}`, LEM_FAKE_GPU_STATE: state };
  const argv = ['telemetry.yaml', '--json', '--dispatch', 'local', '--lem-command', HARNESS, '--no-resume', '--gpu-telemetry', telemetry ? 'auto' : 'off'];
  const t0 = performance.now();
  const child = spawn(CLI, argv, { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let last = null;
  let samples = 0;
  let energy = 0;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const ev = JSON.parse(line);
    if (ev.type === 'gpu.sample') samples++;
    if (ev.type === 'experiment.finished' && ev.metrics?.gpuEnergyJ) energy++;
    // The last moment its CPU can be read: the campaign is over, the process not yet gone.
    if (ev.type === 'campaign.finished') last = procSample(child.pid);
  });
  const code = await new Promise((r) => child.on('close', r));
  rmrf(dir);
  return { code, cpuS: last?.cpu ?? NaN, hwmMB: last?.hwmMB ?? NaN, wallS: (performance.now() - t0) / 1000, samples, measured: energy };
}

printMachine();
const R = Number(opt.repeats);
const runs = { off: [], on: [] };
for (let i = 0; i < R; i++) {
  for (const side of i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
    const r = await campaign(side === 'on');
    runs[side].push(r);
    console.log(`round ${i + 1}/${R} telemetry ${side.padEnd(3)}: exit ${r.code}, lem-tui CPU ${fmt(r.cpuS)} s over ${fmt(r.wallS, 1)} s (${fmt((100 * r.cpuS) / r.wallS, 2)} % of a core), peak RSS ${fmt(r.hwmMB, 1)} MB, gpu.sample events ${r.samples}, experiments with host energy ${r.measured}`);
  }
}
const off = median(runs.off.map((r) => r.cpuS));
const on = median(runs.on.map((r) => r.cpuS));
const wall = median(runs.on.map((r) => r.wallS));
console.log(`median lem-tui CPU: off ${fmt(off)} s, on ${fmt(on)} s · on ÷ off ${fmt(on / off)} · telemetry costs ${fmt(((on - off) / wall) * 100, 2)} % of a core`);
console.log(JSON.stringify({ bench: 'telemetry', runs }));

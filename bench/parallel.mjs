#!/usr/bin/env node
// Issue 14: wall time of a campaign run one experiment at a time against the
// same campaign with --gpus 0,1,2,3, per strategy, side by side.
//
//   node bench/parallel.mjs [--repeats 3] [--strategies local,ephemeral,persistent]
//
// The campaign is fixtures/bench/parallel.yaml: 8 experiments of 4 s (4
// configs x 2 cycles, no gaps). The GPUs are the stand-in nvidia-smi's
// (fixtures/gpu/bin, four H200s), on PATH for both runs so telemetry costs
// the same in each. Rounds alternate the order (sequential first, then
// parallel first). Every run is checked from the harness's own records
// (bench/harnessRecords.mjs): exit 0, 8 results, and no two runs that
// overlapped in time had a GPU in common.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, HARNESS, ROOT, args, callerEnv, fmt, freshBenchDir, median, printMachine, rmrf, run } from './lib.mjs';
import { mostAtOnce, readHarnessRecords, sharedGpuOverlaps } from './harnessRecords.mjs';

const opt = args({ repeats: '3', strategies: 'local,ephemeral,persistent' });
const REPEATS = Number(opt.repeats);
const STRATEGIES = opt.strategies.split(',');
const GPUS = '0,1,2,3';
const EXPERIMENTS = 8;

const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lem-bench-gpus-')), 'state.json');
fs.writeFileSync(stateFile, JSON.stringify({ gpus: [0, 1, 2, 3].map((index) => ({ index, name: 'NVIDIA H200' })) }));
const env = { ...callerEnv(), PATH: `${path.join(ROOT, 'fixtures/gpu/bin')}:${process.env.PATH}`, LEM_FAKE_GPU_STATE: stateFile };

function argv(strategy, parallel) {
  const where = strategy === 'local' ? ['--dispatch', 'local', '--lem-command', HARNESS] : ['--dispatch', 'docker', '--container-strategy', strategy];
  return [process.execPath, CLI, 'parallel.yaml', '--no-tui', '--yes', ...where, ...(parallel ? ['--gpus', GPUS] : [])];
}

async function once(strategy, parallel) {
  const dir = freshBenchDir(`par-${strategy}`);
  try {
    const r = await run(argv(strategy, parallel), { cwd: dir, env });
    if (r.code !== 0) throw new Error(`${strategy} ${parallel ? 'parallel' : 'sequential'}: exit ${r.code}\n${r.stderr}\n${r.stdout.slice(-2000)}`);
    const records = readHarnessRecords(path.join(dir, 'results'));
    if (records.length !== EXPERIMENTS) throw new Error(`${strategy}: ${records.length} results, expected ${EXPERIMENTS}`);
    const clashes = sharedGpuOverlaps(records);
    if (clashes.length > 0) throw new Error(`${strategy}: runs overlapped on one GPU: ${JSON.stringify(clashes)}`);
    return { s: r.ms / 1000, atOnce: mostAtOnce(records) };
  } finally {
    rmrf(dir);
  }
}

printMachine();
console.log(`campaign: ${EXPERIMENTS} experiments of 4 s · parallel: --gpus ${GPUS} · ${REPEATS} alternated rounds\n`);
const rows = [];
for (const strategy of STRATEGIES) {
  const seq = [];
  const par = [];
  const ratios = [];
  let atOnce = 0;
  for (let round = 0; round < REPEATS; round += 1) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    const got = {};
    for (const parallel of order) got[parallel] = await once(strategy, parallel);
    seq.push(got.false.s);
    par.push(got.true.s);
    ratios.push(got.true.s / got.false.s);
    atOnce = Math.max(atOnce, got.true.atOnce);
    console.log(`${strategy} round ${round + 1}: sequential ${fmt(got.false.s)} s · parallel ${fmt(got.true.s)} s · ratio ${fmt(got.true.s / got.false.s, 3)} · at once ${got.true.atOnce} (sequential ${got.false.atOnce})`);
  }
  rows.push({ strategy, seq: median(seq), par: median(par), ratio: median(ratios), atOnce, samples: ratios.map((x) => fmt(x, 3)).join(' ') });
}
console.log('\n| strategy | sequential (median s) | --gpus 0,1,2,3 (median s) | parallel ÷ sequential (median of paired) | most at once | all ratios |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.strategy} | ${fmt(r.seq)} | ${fmt(r.par)} | ${fmt(r.ratio, 3)} | ${r.atOnce} | ${r.samples} |`);
fs.rmSync(path.dirname(stateFile), { recursive: true, force: true });

#!/usr/bin/env node
// Benchmark 4: scale.
//
//   node bench/scale.mjs [--repeats 7] [--skip-thousand 1] [--baseline <other build's dist/cli.js>]
//
// --baseline adds the other build as "old" beside each lem-tui variant of a
// and b (alternated in the same rounds), and runs c once with it too, after
// the new build's run.
//
//  a. start-up: `dist/cli.js --help`, alternated with `node -e 0` (the
//     floor: Node's own start-up on this machine), wall time.
//  b. `--dry-run` of fixtures/bench/grid-10k.yaml (10,000 experiments), with
//     --dispatch local (planning and printing only) and --dispatch docker
//     (adds compose detection: one `docker-compose version` call), alternated.
//  c. RSS of a 1,000-experiment campaign (fixtures/bench/thousand.yaml, local
//     dispatch, the stand-in harness with duration_seconds 0, no gaps, --json
//     to a pipe that counts finished experiments): VmRSS sampled after
//     experiment 100, 500 and 1000, and VmHWM. Run once (it takes minutes).
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';
import { CLI, HARNESS, args, fmt, freshBenchDir, median, printMachine, procSample, rmrf, run } from './lib.mjs';

const opt = args({ repeats: '7', 'skip-thousand': '', baseline: '' });
const OLD = opt.baseline ? path.resolve(opt.baseline) : null;
/** Each lem-tui variant, and the same with the baseline build ("old …") when one is given. */
const withOld = (variants) => Object.fromEntries(Object.entries(variants).flatMap(([k, f]) => (k.startsWith('node') || !OLD ? [[k, () => f(CLI)]] : [[k, () => f(CLI)], [`old ${k}`, () => f(OLD)]])));
const R = Number(opt.repeats);
printMachine();

async function alternate(label, variants) {
  const t = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < R; i++) {
    const keys = Object.keys(variants);
    for (const k of i % 2 ? keys.reverse() : keys) {
      const r = await variants[k]();
      if (r.code !== 0) throw new Error(`${k}: exit ${r.code} ${r.stderr}`);
      t[k].push(r.ms);
    }
  }
  console.log(`\n${label} (${R} runs each, alternated; median ms, all samples)`);
  for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(34)} ${fmt(median(v), 0).padStart(6)} ms   ${v.map((x) => fmt(x, 0)).join(' ')}`);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
}

const help = await alternate('start-up', withOld({
  'node -e 0': () => run(['node', '-e', '0']),
  'lem-tui --help': (cli) => run([cli, '--help']),
  'lem-tui --version': (cli) => run([cli, '--version']),
}));
console.log(`  --help minus node's own start-up: ${fmt(help['lem-tui --help'] - help['node -e 0'], 0)} ms`);

const dir = freshBenchDir('grid');
const dry = await alternate('--dry-run of the 10,000-experiment grid', withOld({
  'node -e 0': () => run(['node', '-e', '0']),
  'dry-run --dispatch local': (cli) => run([cli, 'grid-10k.yaml', '--dry-run', '--dispatch', 'local'], { cwd: dir }),
  'dry-run --dispatch docker': (cli) => run([cli, 'grid-10k.yaml', '--dry-run', '--dispatch', 'docker'], { cwd: dir }),
}));
const lines = (await run([CLI, 'grid-10k.yaml', '--dry-run', '--dispatch', 'docker'], { cwd: dir })).stdout.split('\n').length;
console.log(`  (prints ${lines} lines)`);
rmrf(dir);

async function runThousand(cli, label) {
  console.log(`\n1,000-experiment campaign, ${label}`);
  const tdir = freshBenchDir('thousand');
  const child = spawn(cli, ['thousand.yaml', '--json', '--dispatch', 'local', '--lem-command', HARNESS, '--no-resume'], {
    cwd: tdir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const t0 = performance.now();
  const at = {};
  let done = 0;
  const marks = new Set([1, 10, 100, 250, 500, 750, 1000]);
  const rl = readline.createInterface({ input: child.stdout });
  rl.on('line', (line) => {
    let ev;
    try {
      ev = JSON.parse(line);
    } catch {
      return;
    }
    if (!/finished/.test(ev.type ?? ev.event ?? '') || !(ev.expId ?? ev.exp_id ?? ev.experiment)) return;
    done++;
    if (marks.has(done)) {
      const s = procSample(child.pid);
      at[done] = { ...s, s: (performance.now() - t0) / 1000 };
      console.log(`  after ${String(done).padStart(4)} experiments: VmRSS ${fmt(s?.rssMB, 1)} MB, VmHWM ${fmt(s?.hwmMB, 1)} MB, CPU ${fmt(s?.cpu, 1)} s, ${fmt(at[done].s, 0)} s in`);
    }
  });
  const code = await new Promise((r) => child.on('close', r));
  const result = { code, done, at, wallS: (performance.now() - t0) / 1000 };
  console.log(`1,000-experiment campaign (${label}): exit ${code}, ${done} finished in ${fmt(result.wallS, 0)} s`);
  rmrf(tdir);
  return result;
}

const thousand = opt['skip-thousand'] ? null : await runThousand(CLI, 'lem-tui');
const oldThousand = opt['skip-thousand'] || !OLD ? null : await runThousand(OLD, 'old');
console.log(JSON.stringify({ bench: 'scale', help, dry, thousand, oldThousand }));

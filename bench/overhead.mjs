#!/usr/bin/env node
// Benchmarks 1 and 2: lem-tui's overhead over a plain bash loop issuing the
// same compose commands, and persistent ÷ ephemeral wall time.
//
//   node bench/overhead.mjs [--repeats 5] [--strategies ephemeral,persistent]
//                           [--compose v2|v1] [--n 10] [--baseline <other build's dist/cli.js>]
//                           [--direct-loop 1]
//
// --compose v2 (default) lets lem-tui detect `docker compose`; v1 passes
// `--compose-command docker-compose` (the bash loop takes the same flavour
// from the dry run). --n sets the number of experiments (2 configs, n/2
// cycles). --baseline adds a third variant, another build of lem-tui, run
// in the same alternated rounds. --direct-loop (v2) adds a second bash loop,
// "direct", that runs the compose plugin binary where the first one types
// `docker compose`: the processes lem-tui itself starts (it runs the plugin
// directly, source/compose/composePlugin.ts), so lem-tui − direct is its own
// cost and bash − direct what the docker CLI in front of compose costs.
// lem-tui runs with LEM_TUI_TRACE, so the
// time from its start to its first experiment's process is reported, beside
// the bash loop's (the floor) and `node -e 0`'s start.
//
// The campaign is fixtures/bench/overhead.yaml: N experiments whose
// harness exits at once (duration_seconds: 0), no gaps, in the services of
// fixtures/bench/docker-compose.yml (image lem-tui-demo:latest, built by
// scripts/build-images.sh). Each round runs, in an order that alternates
// between rounds, for each strategy:
//   lem-tui  `dist/cli.js overhead.yaml --no-tui --yes --dispatch docker --container-strategy S`
//   bash     a bash script made from `--dry-run` of the same campaign: every
//            compose argv it prints, verbatim (before / per experiment / after),
//            and per experiment the same files lem-tui writes: the experiment
//            config (config + _metadata) before, removed after, and a log file
//            of the output; persistent mode also writes the override compose file.
// Every run starts in a fresh copy of fixtures/bench (no manifest, no results)
// and is checked: exit 0 and 20 aggregated result files.
import fs from 'node:fs';
import path from 'node:path';
import { CLI, args, callerEnv, fmt, freshBenchDir, median, printMachine, rmrf, run } from './lib.mjs';
import { firstExperimentMs } from './traceFile.mjs';

const opt = args({ repeats: '5', strategies: 'ephemeral,persistent', keep: '', compose: 'v2', n: '10', baseline: '', 'direct-loop': '' });
if (!['v1', 'v2'].includes(opt.compose)) throw new Error('--compose v1 or v2');
const COMPOSE_FLAGS = opt.compose === 'v1' ? ['--compose-command', 'docker-compose'] : [];
const BASELINE = opt.baseline ? path.resolve(opt.baseline) : null;
const CYCLES = Math.max(1, Math.round(Number(opt.n) / 2));
const REPEATS = Number(opt.repeats);
const STRATEGIES = opt.strategies.split(',');
const CAMPAIGN = 'overhead.yaml';
const PLUGIN = opt['direct-loop'] && opt.compose === 'v2' ? findPlugin() : null;
if (opt['direct-loop'] && !PLUGIN) throw new Error('--direct-loop needs compose v2 and its plugin binary');
/** The loops lem-tui is compared with: the commands as a person types them, and (--direct-loop) as lem-tui spawns them. */
const LOOPS = PLUGIN ? ['bash', 'direct'] : ['bash'];

function findPlugin() {
  for (const dir of [path.join(process.env.DOCKER_CONFIG ?? path.join(process.env.HOME ?? '/root', '.docker'), 'cli-plugins'), '/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins']) {
    const file = path.join(dir, 'docker-compose');
    if (fs.existsSync(file)) return file;
  }
  return null;
}
const env = callerEnv();
const callTimes = {};
const firstMs = {};

/** A fresh bench folder whose campaign has CYCLES cycles. */
function benchDir(tag) {
  const dir = freshBenchDir(tag);
  const file = path.join(dir, CAMPAIGN);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^( +cycles:) \d+$/m, `$1 ${CYCLES}`));
  return dir;
}

/** The compose commands `--dry-run` prints, split into before / per experiment / after. */
async function dryRunCommands(dir, strategy) {
  const r = await run([CLI, CAMPAIGN, '--dry-run', '--dispatch', 'docker', '--container-strategy', strategy, ...COMPOSE_FLAGS], { cwd: dir, env });
  if (r.code !== 0) throw new Error(`dry run failed: ${r.stderr}`);
  const before = [];
  const per = [];
  const after = [];
  for (const line of r.stdout.split('\n')) {
    let m;
    if ((m = /^once before: \$ (.*)$/.exec(line))) before.push(m[1]);
    else if ((m = /^once after: \$ (.*)$/.exec(line))) after.push(m[1]);
    else if ((m = /^ {8}\$ (.*)$/.exec(line))) per.push(m[1]);
  }
  return { before, per, after };
}

const shq = (s) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The bash loop. The argv from --dry-run is already one shell word per
 * argument except for spaces inside values (none here); it is re-split and
 * quoted to be safe.
 */
function bashScript(dir, cmds, strategy) {
  const campaignText = fs.readFileSync(path.join(dir, CAMPAIGN), 'utf8');
  const name = /^campaign_name:\s*(\S+)/m.exec(campaignText)[1];
  const lines = ['set -e', `cd ${shq(dir)}`, 'echo "start $EPOCHREALTIME" >> timings.txt'];
  if (strategy === 'persistent') {
    // The override file lem-tui writes before `up -d` (source/compose/override.ts).
    const override = /-f (\S+\.override\.yml)/.exec(cmds.before[0])?.[1];
    lines.push(`mkdir -p ${shq(path.dirname(override))}`);
    lines.push(`cat > ${shq(override)} <<'EOF'\nservices:\n  pytorch:\n    command: [sleep, infinity]\n    init: true\n  vllm:\n    command: [sleep, infinity]\n    init: true\nEOF`);
  }
  // Each compose call is timed ($EPOCHREALTIME, bash >= 5) into timings.txt.
  const timed = (kind, c) => `t0=$EPOCHREALTIME; ${c}; echo "${kind} $t0 $EPOCHREALTIME" >> timings.txt`;
  for (const c of cmds.before) lines.push(timed('before', c));
  for (const c of cmds.per) {
    const cfg = /\/app\/configs\/(_campaign_(\d+)\.yaml)/.exec(c);
    const file = `configs_runtime/${cfg[1]}`;
    const expId = cfg[2];
    const cycle = Number(/LEM_CYCLE=(\d+)/.exec(c)[1]);
    const service = / (pytorch|vllm) lem experiment /.exec(c)[1];
    const src = fs.readFileSync(path.join(dir, 'configs', `fast_${service}.yaml`), 'utf8');
    const doc =
      `# Written by the bash loop for experiment ${expId}\n${src}` +
      `_metadata:\n  experiment_id: "${expId}"\n  campaign_name: ${name}\n  campaign_id: x\n  cycle_id: ${cycle}\n  config_name: fast_${service}\n`;
    lines.push(`cat > ${file}.tmp <<'EOF'\n${doc}EOF`, `mv ${file}.tmp ${file}`);
    lines.push(`mkdir -p results/${expId}/logs`);
    lines.push(timed('per', `${c} >> results/${expId}/logs/output.log 2>&1`));
    lines.push(`rm -f ${file}`);
  }
  for (const c of cmds.after) lines.push(timed('after', c));
  return `${lines.join('\n')}\n`;
}

function countResults(dir) {
  try {
    return fs.readdirSync(path.join(dir, 'results', 'aggregated')).filter((f) => f.endsWith('.json')).length;
  } catch {
    return 0;
  }
}

async function once(variant, strategy, templates) {
  const dir = benchDir(`${variant}-${strategy}`);
  try {
    let r;
    if (!LOOPS.includes(variant)) {
      const cli = variant === 'old' ? BASELINE : CLI;
      const trace = path.join(dir, 'trace.jsonl');
      const began = Date.now();
      r = await run([cli, CAMPAIGN, '--no-tui', '--yes', '--dispatch', 'docker', '--container-strategy', strategy, ...COMPOSE_FLAGS], {
        cwd: dir,
        env: { ...env, LEM_TUI_TRACE: trace },
      });
      const first = firstExperimentMs(trace, began);
      if (first !== null) (firstMs[`${variant} ${strategy}`] ??= []).push(first);
    } else {
      const t = templates[strategy];
      let script = t.script.split(t.dir).join(dir);
      if (variant === 'direct') script = script.split('docker compose ').join(`${PLUGIN} `);
      const file = path.join(dir, 'loop.sh');
      fs.writeFileSync(file, script);
      r = await run(['bash', file], { cwd: dir, env });
    }
    const n = countResults(dir);
    if (LOOPS.includes(variant)) {
      let start = null;
      let first = null;
      for (const l of fs.readFileSync(path.join(dir, 'timings.txt'), 'utf8').trim().split('\n')) {
        const [kind, a, b] = l.split(' ');
        if (kind === 'start') start = Number(a);
        else (callTimes[`${variant} ${strategy} ${kind}`] ??= []).push((Number(b) - Number(a)) * 1000);
        if (kind === 'per' && first === null) first = Number(a);
      }
      // From the script's first line (bash's own start is not in it).
      if (start !== null && first !== null) (firstMs[`${variant} ${strategy}`] ??= []).push((first - start) * 1000);
    }
    if (r.code !== 0 || n !== templates[strategy].n) {
      throw new Error(`${variant} ${strategy}: exit ${r.code}, ${n} results\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    }
    return r.ms / 1000;
  } finally {
    if (!opt.keep) rmrf(dir);
  }
}

printMachine();
const templates = {};
for (const s of STRATEGIES) {
  const dir = benchDir(`tpl-${s}`);
  const cmds = await dryRunCommands(dir, s);
  templates[s] = { dir, script: bashScript(dir, cmds, s), n: cmds.per.length };
  console.log(`${s}: ${cmds.per.length} experiments; before ${cmds.before.length}, after ${cmds.after.length} compose calls`);
}

const variants = STRATEGIES.flatMap((s) => [['lem-tui', s], ...(BASELINE ? [['old', s]] : []), ...LOOPS.map((l) => [l, s])]);
const nodeStart = [];
const times = Object.fromEntries(variants.map(([v, s]) => [`${v} ${s}`, []]));
for (let round = 0; round < REPEATS; round++) {
  // Alternate: round 0 runs lem-tui first, round 1 bash first, and so on;
  // the strategies swap places too.
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const [v, s] of order) {
    const t = await once(v, s, templates);
    times[`${v} ${s}`].push(t);
    console.log(`round ${round + 1}/${REPEATS}  ${v.padEnd(7)} ${s.padEnd(10)} ${fmt(t)} s`);
  }
  nodeStart.push((await run([process.execPath, '-e', '0'])).ms);
}
for (const s of STRATEGIES) rmrf(templates[s].dir);

console.log(`\nmedians (s) and ratios; compose ${opt.compose}, N = ${2 * CYCLES}`);
const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const tuis = BASELINE ? ['lem-tui', 'old'] : ['lem-tui'];
for (const s of STRATEGIES) {
  const n = templates[s].n;
  for (const loop of LOOPS) {
    const bash = med[`${loop} ${s}`];
    for (const v of tuis) {
      const tui = med[`${v} ${s}`];
      // Per-round ratios and differences too, since rounds are paired.
      const ratios = times[`${v} ${s}`].map((t, i) => t / times[`${loop} ${s}`][i]);
      const diffs = times[`${v} ${s}`].map((t, i) => t - times[`${loop} ${s}`][i]);
      console.log(
        `${s.padEnd(10)} ${v.padEnd(7)} ${fmt(tui)} s  ${loop} ${fmt(bash)} s  ratio ${fmt(tui / bash, 3)} ` +
          `(paired ${fmt(median(ratios), 3)}; all: ${ratios.map((x) => fmt(x, 3)).join(' ')})  ` +
          `${v} − ${loop}: ${fmt(tui - bash)} s (paired ${fmt(median(diffs))}; all: ${diffs.map((x) => fmt(x)).join(' ')})  ` +
          `= ${fmt(((tui - bash) / n) * 1000, 0)} ms/experiment`,
      );
    }
  }
  for (const v of [...tuis, ...LOOPS]) console.log(`   samples ${v.padEnd(7)} ${times[`${v} ${s}`].map((x) => fmt(x)).join(' ')}`);
  if (BASELINE) {
    const r = times[`lem-tui ${s}`].map((t, i) => t / times[`old ${s}`][i]);
    console.log(`   new ÷ old: ${fmt(med[`lem-tui ${s}`] / med[`old ${s}`], 3)} (paired ${fmt(median(r), 3)}; all: ${r.map((x) => fmt(x, 3)).join(' ')})`);
  }
}
if (STRATEGIES.includes('ephemeral') && STRATEGIES.includes('persistent')) {
  for (const v of [...tuis, ...LOOPS]) {
    const p = med[`${v} persistent`];
    const e = med[`${v} ephemeral`];
    const paired = times[`${v} persistent`].map((t, i) => t / times[`${v} ephemeral`][i]);
    console.log(`${v.padEnd(7)} persistent ÷ ephemeral = ${fmt(p)} / ${fmt(e)} = ${fmt(p / e, 3)} (paired ${fmt(median(paired), 3)})`);
  }
}
console.log('\ntime to the first experiment\'s process (median ms; all samples)');
for (const [k, v] of Object.entries(firstMs)) console.log(`  ${k.padEnd(22)} ${fmt(median(v), 0)} ms  (${v.map((x) => fmt(x, 0)).join(' ')})`);
console.log(`  node -e 0 (start)      ${fmt(median(nodeStart), 0)} ms  (${nodeStart.map((x) => fmt(x, 0)).join(' ')})`);
printMachine();
console.log('\ncompose calls in the bash loops (median ms, count)');
for (const [k, v] of Object.entries(callTimes)) console.log(`  ${k.padEnd(22)} ${fmt(median(v), 0)} ms  (n=${v.length})`);
console.log(JSON.stringify({ callTimes: Object.fromEntries(Object.entries(callTimes).map(([k, v]) => [k, median(v)])) }));
console.log(JSON.stringify({ bench: 'overhead', compose: opt.compose, n: 2 * CYCLES, repeats: REPEATS, times, firstMs, nodeStart }));

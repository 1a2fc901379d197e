#!/usr/bin/env node
// Benchmark 3: the TUI under a log flood, in a real pseudo-terminal (tmux).
//
//   node bench/tui-flood.mjs [--repeats 5] [--cols 120] [--rows 40]
//
// One experiment (fixtures/bench/flood.yaml: harness flood_lines_per_second
// 20000, flood_seconds 10, then a normal 2 s run) with local dispatch and the
// stand-in harness (`--dispatch local --lem-command fixtures/harness/lem`),
// so Docker costs nothing here. lem-tui runs in a detached tmux session with
// CI unset (interactive mode); `tmux pipe-pane -O` copies every byte written
// to the pty into a file that this script follows with fs.watch, stamping
// each chunk with the time it arrived. Measured per run:
//   - CPU seconds of the lem-tui process (/proc/<pid>/stat utime+stime)
//     during the flood window, as a fraction of one core;
//   - peak RSS (VmHWM) at the end of the run;
//   - frames per second during the flood: Ink wraps every frame in the
//     synchronized-update sequence ESC[?2026h … ESC[?2026l, counted here;
//   - key latency: `l` (toggle the log pane) sent with `tmux send-keys` at
//     3, 5, 7 and 8.5 s into the flood; the latency is the time from just
//     before send-keys until the first frame whose log pane state flipped
//     (the flood's lines vanish or reappear). It includes the tmux client's
//     start-up and tmux's own relaying, so it is an upper bound.
//   - the achieved flood rate: flood lines in the experiment's output.log
//     over the flood window.
// Alternated with the baseline: the same harness and config piped through
// `cat > /dev/null` (bash `time` of the cat process).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, HARNESS, args, fmt, freshBenchDir, median, printMachine, procSample, rmrf, run, sleep } from './lib.mjs';

// --node-env development: run lem-tui with React's development build (before the fix in runCampaign.ts).
const opt = args({ repeats: '5', cols: '120', rows: '40', keep: '', 'node-env': '', 'node-options': '' });
// flood_lines_per_second x flood_seconds in fixtures/bench/configs/flood.yaml
const FLOOD_TOTAL = 200_000;
const BSU = '\x1b[?2026h';
const FLOOD_MARK = 'synthetic log line';

const tmux = (...a) => run(['tmux', ...a]);

function findOutputLog(dir) {
  const res = path.join(dir, 'results');
  for (const d of fs.readdirSync(res)) {
    const f = path.join(res, d, 'logs', 'output.log');
    if (fs.existsSync(f)) return f;
  }
  return null;
}

function countLines(file) {
  if (!file) return 0;
  const buf = fs.readFileSync(file);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

async function tuiRun(round) {
  const dir = freshBenchDir('flood');
  const session = `lembench-${process.pid}-${round}`;
  const ptyFile = path.join(dir, 'pty.out');
  fs.writeFileSync(ptyFile, '');
  const goFile = path.join(dir, 'go');
  const cmd =
    `cd '${dir}' && while [ ! -e go ]; do sleep 0.02; done; ` +
    `exec env -u CI -u NO_COLOR ${opt['node-env'] ? `NODE_ENV=${opt['node-env']}` : '-u NODE_ENV'} ${opt['node-options'] ? `NODE_OPTIONS='${opt['node-options']}'` : ''} '${CLI}' flood.yaml --dispatch local --lem-command '${HARNESS}' --no-resume`;
  await tmux('new-session', '-d', '-s', session, '-x', opt.cols, '-y', opt.rows, 'bash', '-c', cmd);
  try {
    await tmux('set-option', '-t', session, 'remain-on-exit', 'on');
    const pid = Number((await tmux('display-message', '-p', '-t', session, '#{pane_pid}')).stdout.trim());
    await tmux('pipe-pane', '-t', session, '-O', `cat >> '${ptyFile}'`);

    // Follow the pty copy: chunks with their arrival time.
    const chunks = [];
    let offset = 0;
    const fd = fs.openSync(ptyFile, 'r');
    const readNew = () => {
      const size = fs.fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      chunks.push({ t: performance.now(), text: buf.toString('latin1') });
    };
    const watcher = fs.watch(ptyFile, readNew);

    fs.writeFileSync(goFile, '');
    const t0 = performance.now();
    const samples = []; // {t, cpu, hwm, rss, lines}
    const keys = []; // {t, want: 'hidden'|'shown'}
    let logFile = null;
    let floodStart = null;
    let floodEnd = null;
    let keyPlan = [3000, 5000, 7000, 8500];
    let finished = false;
    while (performance.now() - t0 < 60_000) {
      await sleep(100);
      readNew();
      const s = procSample(pid);
      if (!s) break;
      logFile ??= fs.existsSync(path.join(dir, 'results')) ? findOutputLog(dir) : null;
      const lines = countLines(logFile);
      const now = performance.now();
      samples.push({ t: now, ...s, lines });
      if (floodStart === null && lines > 100) floodStart = now;
      if (floodStart !== null && floodEnd === null && lines >= FLOOD_TOTAL) floodEnd = now;
      if (floodStart !== null && floodEnd === null && keyPlan.length > 0 && now - floodStart >= keyPlan[0]) {
        keyPlan.shift();
        const want = keys.length % 2 === 0 ? 'hidden' : 'shown';
        keys.push({ t: performance.now(), want });
        await tmux('send-keys', '-t', session, 'l');
      }
      // The summary screen: the campaign is over; `q` leaves.
      if (!finished && floodEnd !== null && chunks.some((c) => c.t > floodEnd && /Summary|summary/.test(c.text))) {
        finished = true;
        await sleep(300);
        readNew();
        const last = procSample(pid);
        if (last) samples.push({ t: performance.now(), ...last, lines: countLines(logFile) });
        await tmux('send-keys', '-t', session, 'q');
      }
    }
    readNew();
    watcher.close();
    fs.closeSync(fd);

    // Frames: split the stream at each BSU; a frame is stamped with the arrival of its first byte... of its end.
    const all = chunks.map((c) => c.text).join('');
    const stamps = []; // [endOffset, t]
    let acc = 0;
    for (const c of chunks) {
      acc += c.text.length;
      stamps.push([acc, c.t]);
    }
    const timeAt = (off) => stamps.find(([end]) => end >= off)?.[1] ?? NaN;
    const frames = [];
    let i = all.indexOf(BSU);
    while (i !== -1) {
      const next = all.indexOf(BSU, i + 1);
      const end = next === -1 ? all.length : next;
      const text = all.slice(i, end);
      frames.push({ t: timeAt(end), hasLog: text.includes(FLOOD_MARK) });
      i = next;
    }
    const inFlood = (t) => t >= floodStart && t <= floodEnd;
    const floodSecs = (floodEnd - floodStart) / 1000;
    const fps = frames.filter((f) => inFlood(f.t)).length / floodSecs;

    const latencies = keys.map((k) => {
      const f = frames.find((fr) => fr.t > k.t && (k.want === 'hidden' ? !fr.hasLog : fr.hasLog));
      return f ? f.t - k.t : NaN;
    });

    const before = samples.findLast((s) => s.t <= floodStart) ?? samples[0];
    const after = samples.find((s) => s.t >= floodEnd) ?? samples.at(-1);
    const cpuFlood = (after.cpu - before.cpu) / ((after.t - before.t) / 1000);
    const lastSample = samples.at(-1);
    const floodLines = after.lines - before.lines;
    return {
      cpuCores: cpuFlood,
      cpuTotalS: lastSample.cpu,
      hwmMB: Math.max(...samples.map((s) => s.hwmMB)),
      fps,
      frames: frames.length,
      latencies,
      rate: floodLines / ((after.t - before.t) / 1000),
      floodSecs,
      ptyBytes: all.length,
    };
  } finally {
    await tmux('kill-session', '-t', session);
    if (!opt.keep) rmrf(dir);
  }
}

/** The baseline: the harness piped through cat; cat's own CPU time from bash `time`. */
async function catRun() {
  const dir = freshBenchDir('flood-cat');
  try {
    const script =
      `cd '${dir}'; TIMEFORMAT='%R %U %S'; ` +
      `sh '${HARNESS}' experiment configs/flood.yaml --results-dir '${dir}/results' | { time cat > /dev/null; }`;
    const r = await run(['bash', '-c', script]);
    const [real, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return { real, cpuS: user + sys };
  } finally {
    rmrf(dir);
  }
}

/** The flood alone: lines/s the harness achieves into a pipe (wc -l). */
async function rateRun() {
  const dir = freshBenchDir('flood-rate');
  try {
    const t0 = performance.now();
    const r = await run(['bash', '-c', `cd '${dir}'; sh '${HARNESS}' experiment configs/flood.yaml --results-dir '${dir}/results' | grep -c '${FLOOD_MARK}'`]);
    return { lines: Number(r.stdout.trim()), totalS: (performance.now() - t0) / 1000 };
  } finally {
    rmrf(dir);
  }
}

printMachine();
const tui = [];
const cat = [];
const REPEATS = Number(opt.repeats);
for (let round = 0; round < REPEATS; round++) {
  const order = round % 2 === 0 ? ['tui', 'cat'] : ['cat', 'tui'];
  for (const which of order) {
    if (which === 'tui') {
      const r = await tuiRun(round);
      tui.push(r);
      console.log(
        `round ${round + 1}/${REPEATS} lem-tui: cpu ${fmt(r.cpuCores)} core over ${fmt(r.floodSecs, 1)} s flood · ` +
          `rate ${fmt(r.rate, 0)} lines/s · peak RSS ${fmt(r.hwmMB, 1)} MB · ${fmt(r.fps, 1)} frames/s (${r.frames} frames, ${r.ptyBytes} bytes) · ` +
          `key→frame ${r.latencies.map((x) => fmt(x, 0)).join(' ')} ms`,
      );
    } else {
      const r = await catRun();
      cat.push(r);
      console.log(`round ${round + 1}/${REPEATS} cat:     cpu ${fmt(r.cpuS)} s over ${fmt(r.real, 1)} s = ${fmt(r.cpuS / r.real, 3)} core (whole harness run)`);
    }
  }
}
const rate = await rateRun();
console.log(`harness alone into a pipe: ${rate.lines} flood lines, whole run ${fmt(rate.totalS, 1)} s (flood_seconds 10: ~${fmt(rate.lines / 10, 0)} lines/s)`);

const lat = tui.flatMap((r) => r.latencies).filter(Number.isFinite);
console.log('\nmedians over rounds');
console.log(`lem-tui CPU during flood: ${fmt(median(tui.map((r) => r.cpuCores)), 3)} core (target <= 0.5)`);
console.log(`cat CPU (whole run):      ${fmt(median(cat.map((r) => r.cpuS / r.real)), 3)} core; lem-tui ÷ cat = ${fmt(median(tui.map((r) => r.cpuCores)) / median(cat.map((r) => r.cpuS / r.real)), 1)}x`);
console.log(`peak RSS:                 ${fmt(median(tui.map((r) => r.hwmMB)), 1)} MB (max ${fmt(Math.max(...tui.map((r) => r.hwmMB)), 1)}; target <= 150)`);
console.log(`frames/s during flood:    ${fmt(median(tui.map((r) => r.fps)), 1)} (max ${fmt(Math.max(...tui.map((r) => r.fps)), 1)}; target <= 30)`);
console.log(`key→frame latency:        median ${fmt(median(lat), 0)} ms, max ${fmt(Math.max(...lat), 0)} ms over ${lat.length} presses (target <= 100)`);
console.log(`achieved flood rate:      ${fmt(median(tui.map((r) => r.rate)), 0)} lines/s under lem-tui`);
console.log(JSON.stringify({ bench: 'tui-flood', tui, cat, rate }));

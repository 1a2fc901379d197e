// Shared helpers for the benchmarks in bench/ (plain Node 20, no extra packages).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// LEM_TUI_CLI: another build's dist/cli.js, to measure two builds side by side.
export const CLI = process.env.LEM_TUI_CLI ? path.resolve(process.env.LEM_TUI_CLI) : path.join(ROOT, 'dist', 'cli.js');
export const HARNESS = path.join(ROOT, 'fixtures', 'harness', 'lem');
export const CLK_TCK = 100; // getconf CLK_TCK on Linux

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** A fresh copy of fixtures/bench in a temp dir (each run starts from no state). */
export function freshBenchDir(tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lem-bench-${tag}-`));
  fs.cpSync(path.join(ROOT, 'fixtures', 'bench'), dir, { recursive: true });
  for (const d of ['results', 'configs_runtime', '.state']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  return dir;
}

export function rmrf(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs argv, resolves {code, ms, stdout, stderr}. */
export function run(argv, { cwd, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ms: performance.now() - t0, stdout, stderr, pid: child.pid }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** utime+stime in seconds and VmHWM/VmRSS in MB of a live pid (null when gone). */
export function procSample(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15.
    const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { cpu, hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

export function sh(cmd) {
  try {
    return execFileSync('bash', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return `(failed: ${String(e.stderr || e.message).trim().split('\n')[0]})`;
  }
}

/** The machine, for BENCHMARKS.md. */
export function machine() {
  return {
    nproc: sh('nproc'),
    cpu: sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trim(),
    load: sh('cut -d" " -f1-3 /proc/loadavg'),
    node: process.version,
    docker: sh("docker version --format '{{.Server.Version}}'"),
    compose: `v2 ${sh('docker compose version --short')} / v1 ${sh('docker-compose version --short')}`,
    kernel: sh('uname -r'),
  };
}

export function printMachine() {
  const m = machine();
  console.log(`machine: nproc ${m.nproc} · ${m.cpu} · load ${m.load} · node ${m.node} · docker ${m.docker} · compose ${m.compose} · kernel ${m.kernel}`);
}

/** Parses `--name value` / `--name=value` flags into an object of strings. */
export function args(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The uid/gid the compose files need (PUID/PGID), as lem-tui sets them. */
export function callerEnv() {
  const { uid, gid } = os.userInfo();
  return { ...process.env, PUID: String(uid), PGID: String(gid) };
}

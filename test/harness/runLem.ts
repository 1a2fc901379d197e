// Runs fixtures/harness/lem under a given shell as a real child process, in
// its own process group so a test can check that nothing of it outlives it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const HARNESS = path.join(ROOT, 'fixtures/harness/lem');
export const BUSYBOX = '/bin/busybox';

export interface Shell {
  name: string;
  argv: string[];
  /** PATH for the harness: busybox's shell finds only busybox applets, as in the image. */
  path: () => string;
}

let busyboxBin: string | null = null;
/** A dir holding only busybox applets (symlinks), made once per test process. */
function busyboxOnlyPath(): string {
  if (!busyboxBin) {
    if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install busybox-static`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-busybox-bin-'));
    const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const applet of applets) fs.symlinkSync(BUSYBOX, path.join(dir, applet));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    busyboxBin = dir;
  }
  return busyboxBin;
}

/** The shells the harness must run under: the host's /bin/sh, and busybox sh with nothing but busybox. */
export const SHELLS: Shell[] = [
  { name: 'sh', argv: ['/bin/sh'], path: () => process.env.PATH ?? '/usr/bin:/bin' },
  { name: 'busybox sh', argv: [BUSYBOX, 'sh'], path: busyboxOnlyPath },
];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningLem {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** The harness process ended (its children may still hold the pipes). */
  exit: Promise<Exit>;
  /** It ended and every line of its output was read. */
  closed: Promise<Exit>;
  /** Resolves with the first stdout line matching, rejects after `ms`. */
  waitForLine(pattern: RegExp, ms?: number): Promise<string>;
  /** Whether any process of its group (the harness and its children) is alive, zombies aside. */
  groupAlive(): boolean;
}

export function startLem(shell: Shell, args: string[], options: { cwd: string; env?: Record<string, string> }): RunningLem {
  const child = spawn(shell.argv[0]!, [...shell.argv.slice(1), HARNESS, ...args], {
    cwd: options.cwd,
    env: { PATH: shell.path(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exit = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const closed = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout,
    stderr,
    exit,
    closed,
    waitForLine(pattern, ms = 10_000) {
      const seen = stdout.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms; got:\n${stdout.join('\n')}`)), ms);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
    groupAlive() {
      return livingMembers(child.pid!).length > 0;
    },
  };
}

/** Runs to the end (killing the whole group after `timeoutMs`). */
export async function runLem(
  shell: Shell,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<Exit & { stdout: string[]; stderr: string[] }> {
  const lem = startLem(shell, args, options);
  const timer = setTimeout(() => killGroup(lem, 'SIGKILL'), options.timeoutMs ?? 15_000);
  const exit = await lem.closed;
  clearTimeout(timer);
  return { ...exit, stdout: lem.stdout, stderr: lem.stderr };
}

export function killGroup(lem: RunningLem, signal: NodeJS.Signals): void {
  try {
    process.kill(-lem.child.pid!, signal);
  } catch {
    // already gone
  }
}

/** A temp dir with `config.yaml` written from `config` (block-style YAML). */
export function tempCampaignDir(config?: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-harness-'));
  if (config) fs.writeFileSync(path.join(dir, 'config.yaml'), stringify(config));
  return dir;
}

export function readJson(file: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
}

/** The aggregated result files in `resultsDir`. */
export function aggregatedFiles(resultsDir: string): string[] {
  const dir = path.join(resultsDir, 'aggregated');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : [];
}

/**
 * Pids of a process group's members that are not zombies. A zombie is dead
 * but counts for kill(-pgid, 0), and an orphan's zombie lingers wherever
 * PID 1 is slow to reap (as in some sandboxes), so read /proc instead.
 */
function livingMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

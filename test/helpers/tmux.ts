// A real pseudo-terminal for end-to-end tests: one tmux server per session,
// on its own socket (`tmux -L <unique>`), so tests never touch anyone else's
// sessions. The command runs under bash (pipefail) in a pane of the given
// size; the helper reads the screen with capture-pane, types with send-keys,
// records every byte the program writes (pipe-pane) and reads the exit code
// the wrapper writes to a file. No fixed sleeps: everything waits by polling.
//
// The command does not start until pipe-pane is attached (the wrapper waits
// for a go-file), so the raw capture holds the program's very first byte.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export interface TmuxOptions {
  cols?: number;
  rows?: number;
  /** Extra environment for the command; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Working directory of the command. */
  cwd?: string;
}

export type ScreenTest = RegExp | string | ((screen: string) => boolean);

export interface TmuxSession {
  /** The tmux socket name (-L). */
  readonly socket: string;
  /** The visible screen, one string, lines joined with \n (trailing spaces trimmed). */
  screen(): Promise<string>;
  /** The visible screen with wrapped lines joined (capture-pane -J): a line longer than the pane was written past its edge. */
  joinedLines(): Promise<string[]>;
  /** Polls the screen until the test passes; throws with the last screen after timeoutMs. */
  waitForScreen(test: ScreenTest, timeoutMs?: number): Promise<string>;
  /** send-keys, one key per argument ("y", "j", "Down", "C-c"); waits a tick between keys. */
  press(...keys: string[]): Promise<void>;
  /** Every byte the program wrote to the terminal so far. */
  raw(): Promise<string>;
  /** Lines that scrolled off the top of the pane (tmux history_size). */
  historySize(): Promise<number>;
  /** The command's exit status once it has ended; throws after timeoutMs. */
  waitForExit(timeoutMs?: number): Promise<number>;
  /** The exit status if the command has ended, else null. */
  exitCode(): Promise<number | null>;
  /** Kills the tmux server (and with it the command, by SIGHUP) and removes the temp files. Safe twice. */
  kill(): Promise<void>;
}

let counter = 0;

export async function startTmux(command: string, options: TmuxOptions = {}): Promise<TmuxSession> {
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 30;
  counter += 1;
  const socket = `lem-e2e-${process.pid}-${counter}-${Date.now().toString(36)}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lem-tmux-'));
  const files = {
    script: path.join(dir, 'run.sh'),
    go: path.join(dir, 'go'),
    exit: path.join(dir, 'exit'),
    raw: path.join(dir, 'raw.out'),
  };
  const q = shellQuote;
  await writeFile(
    files.script,
    [
      'set -o pipefail',
      `while [ ! -e ${q(files.go)} ]; do sleep 0.02; done`,
      options.cwd ? `cd ${q(options.cwd)} || exit 99` : '',
      command,
      `echo "$?" > ${q(files.exit)}.tmp && mv ${q(files.exit)}.tmp ${q(files.exit)}`,
      '',
    ].join('\n'),
  );

  // The tmux server (and so the command) inherits this environment.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const k of Object.keys(env)) if (k.startsWith('TMUX')) delete env[k];
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const tmux = (...args: string[]) =>
    execa('tmux', ['-u', '-L', socket, '-f', '/dev/null', ...args], { env, extendEnv: false, reject: false, stdin: 'ignore' });

  const target = 'e2e:0.0';
  const started = await tmux(
    'new-session', '-d', '-s', 'e2e', '-x', String(cols), '-y', String(rows),
    `bash ${q(files.script)}`,
    ';', 'set-option', '-g', 'remain-on-exit', 'on',
    ';', 'set-option', '-g', 'history-limit', '5000',
    ';', 'pipe-pane', '-t', target, `cat >> ${q(files.raw)}`,
  );
  if (started.exitCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`tmux new-session failed: ${started.stderr}`);
  }
  await writeFile(files.go, '');

  let killed = false;
  const capture = async (...flags: string[]) => {
    const r = await tmux('capture-pane', '-p', ...flags, '-t', target);
    if (r.exitCode !== 0) throw new Error(`tmux capture-pane failed: ${r.stderr}`);
    return r.stdout.split('\n').map((l) => l.replace(/\s+$/, ''));
  };
  const screen = async () => (await capture()).join('\n').replace(/\n+$/, '');
  const exitCode = async () => {
    if (!existsSync(files.exit)) return null;
    const text = (await readFile(files.exit, 'utf8')).trim();
    return text === '' ? null : Number(text);
  };

  const session: TmuxSession = {
    socket,
    screen,
    joinedLines: () => capture('-J'),
    async waitForScreen(test, timeoutMs = 15_000) {
      const ok =
        typeof test === 'function' ? test : typeof test === 'string' ? (s: string) => s.includes(test) : (s: string) => test.test(s);
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        last = await screen();
        if (ok(last)) return last;
        if (Date.now() > deadline) {
          const code = await exitCode();
          throw new Error(
            `screen did not match ${String(test)} within ${timeoutMs} ms${code === null ? '' : ` (the command exited ${code})`}; last screen:\n${last}`,
          );
        }
        await pause(100);
      }
    },
    async press(...keys) {
      for (const key of keys) {
        await pause(50);
        const r = await tmux('send-keys', '-t', target, key);
        if (r.exitCode !== 0) throw new Error(`tmux send-keys ${key} failed: ${r.stderr}`);
      }
      await pause(50);
    },
    async raw() {
      return existsSync(files.raw) ? readFile(files.raw, 'latin1') : '';
    },
    async historySize() {
      const r = await tmux('display-message', '-p', '-t', target, '#{history_size}');
      return Number(r.stdout.trim());
    },
    exitCode,
    async waitForExit(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const code = await exitCode();
        if (code !== null) return code;
        if (Date.now() > deadline) {
          throw new Error(`the command did not exit within ${timeoutMs} ms; last screen:\n${await screen().catch(() => '?')}`);
        }
        await pause(100);
      }
    },
    async kill() {
      if (killed) return;
      killed = true;
      await tmux('kill-server');
      await rm(dir, { recursive: true, force: true });
    },
  };
  return session;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Single-quotes a word for sh/bash. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

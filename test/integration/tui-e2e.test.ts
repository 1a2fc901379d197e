// End to end: the BUILT CLI (node dist/cli.js) in a real pseudo-terminal
// (tmux), against the real Docker engine and compose CLI. Keys are typed with
// send-keys, the screen is read with capture-pane, faults are real (docker
// kill from outside, Ctrl-C as the raw byte \x03). After every test, nothing
// of the campaign's compose project may remain.
//
// The campaign (fixtures/e2e) is copied to a temp dir with a unique
// campaign_name and its own folder, so its compose project is unique.
import { composeProjectName } from '../../source/compose/projectName.js';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { capture } from '../../source/io/process/process.js';
import { campaignId } from '../../source/plan/campaignId.js';
import { createPersistentDispatcher } from '../../source/dispatch/persistentDispatcher.js';
import { COMPOSE_COMMAND, ROOT, engineForTests, useDockerSuite } from '../helpers/docker.js';
import { shellQuote, startTmux, type TmuxSession } from '../helpers/tmux.js';

const engine = await engineForTests();

const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURE = path.join(ROOT, 'fixtures/e2e');
const LABEL = 'com.docker.compose.project';
/** The child must see a terminal and no CI, or the CLI (rightly) does not show the TUI. */
const TUI_ENV = { CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined };

interface Campaign {
  dir: string;
  name: string;
  project: string;
}

let seq = 0;
async function copyCampaign(tag: string, durations?: { pytorch: number; vllm: number }): Promise<Campaign> {
  seq += 1;
  const dir = await mkdtemp(path.join(os.tmpdir(), `lem-e2e-${tag}-`));
  await cp(FIXTURE, dir, { recursive: true });
  const name = `e2e-tui-${tag}-${process.pid}-${seq}-${Date.now().toString(36)}`;
  const campaignFile = path.join(dir, 'campaign.yaml');
  const text = await readFile(campaignFile, 'utf8');
  await writeFile(campaignFile, text.replace(/^campaign_name: .*$/m, `campaign_name: ${name}`));
  if (durations) {
    for (const file of await readdir(path.join(dir, 'configs'))) {
      const p = path.join(dir, 'configs', file);
      const seconds = file.startsWith('vllm') ? durations.vllm : durations.pytorch;
      await writeFile(p, (await readFile(p, 'utf8')).replace(/duration_seconds: \d+/, `duration_seconds: ${seconds}`));
    }
  }
  return { dir, name, project: composeProjectName(campaignId(name), path.join(dir, '.state')) };
}

/** The shell command running the built CLI on the campaign in the current directory. */
function cliCommand(...flags: string[]): string {
  return ['node', CLI, 'campaign.yaml', '--compose-command', COMPOSE_COMMAND, ...flags].map(shellQuote).join(' ');
}

async function containersOf(project: string): Promise<string[]> {
  const r = await capture(['docker', 'ps', '-a', '--filter', `label=${LABEL}=${project}`, '--format', '{{.Names}} ({{.Status}})']);
  return r.stdout.split('\n').filter(Boolean);
}

async function leftovers(project: string): Promise<string[]> {
  const filter = `label=${LABEL}=${project}`;
  const nets = await capture(['docker', 'network', 'ls', '--filter', filter, '--format', 'network {{.Name}}']);
  const vols = await capture(['docker', 'volume', 'ls', '--filter', filter, '--format', 'volume {{.Name}}']);
  return [...(await containersOf(project)), ...[nets.stdout, vols.stdout].flatMap((s) => s.split('\n'))].filter(Boolean);
}

async function forceClean(project: string): Promise<void> {
  const filter = `label=${LABEL}=${project}`;
  const ids = (await capture(['docker', 'ps', '-aq', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (ids.length) await capture(['docker', 'rm', '-f', ...ids]);
  const nets = (await capture(['docker', 'network', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (nets.length) await capture(['docker', 'network', 'rm', ...nets]);
  const vols = (await capture(['docker', 'volume', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (vols.length) await capture(['docker', 'volume', 'rm', '-f', ...vols]);
}

interface ServiceRow {
  state: string;
  restarts: number;
  lastExit: string;
  selected: boolean;
}

/** The services panel's rows: "› vllm    exited     0        -        137". */
function services(screen: string): Record<string, ServiceRow> {
  const rows: Record<string, ServiceRow> = {};
  for (const line of screen.split('\n')) {
    const m = /^([› ]) (pytorch|vllm)\s+(?:[^\sa-z]\s?)?(running|exited|starting|stopped|error|created|restarting|removed)\s+(\d+)\s+(\S+)\s+(\S+)/.exec(
      line,
    );
    if (m && !rows[m[2]!]) rows[m[2]!] = { selected: m[1] === '›', state: m[3]!, restarts: Number(m[4]), lastExit: m[6]! };
  }
  return rows;
}

/** Past events of the project's containers, from `docker events --since --until` (ends by itself). */
async function eventsSince(project: string, since: number): Promise<string[]> {
  const r = await capture([
    'docker', 'events',
    '--since', String(Math.floor(since / 1000) - 1),
    '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', `label=${LABEL}=${project}`,
    '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}',
  ], { timeoutMs: 15_000 });
  return r.stdout.split('\n').filter(Boolean);
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name !== '.gitkeep').map((e) => path.join(e.parentPath, e.name));
}

describe.runIf(engine)('the TUI end to end (built CLI in tmux, real engine)', () => {
  const suite = useDockerSuite(); // builds the images once; fails in CI without an engine
  let tmux: TmuxSession | null = null;
  let campaign: Campaign | null = null;

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  });

  afterEach(async () => {
    // Always kill the terminal first (SIGHUP to the CLI if it still runs), then check and clean the project.
    await tmux?.kill();
    tmux = null;
    const c = campaign;
    campaign = null;
    if (!c) return;
    const left = await leftovers(c.project);
    await forceClean(c.project);
    await rm(c.dir, { recursive: true, force: true });
    expect(left, `resources of ${c.project} left behind`).toEqual([]);
  });

  const start = async (c: Campaign, command: string, size = { cols: 100, rows: 30 }) => {
    tmux = await startTmux(command, { ...size, cwd: c.dir, env: TUI_ENV });
    return tmux;
  };

  it(
    'persistent: confirm, docker kill a service, restart it with r, teardown with t, summary, q exits 130',
    async () => {
      const c = (campaign = await copyCampaign('persist'));
      const t = await start(c, cliCommand('--container-strategy', 'persistent'));

      // The confirm screen: trade-offs, the services and the command; nothing started yet.
      const confirm = await t.waitForScreen('Start the services? [Y/n]', 30_000);
      expect(confirm).toContain('Persistent mode starts the services once');
      expect(confirm).toContain('less isolation between experiments');
      expect(confirm).toContain('GPU memory and model caches may carry over');
      expect(confirm).toContain('containers stay up until teardown');
      expect(confirm).toMatch(/Services that will start \(2\):\n\s+pytorch\n\s+vllm/);
      // The dispatcher's own command (the campaign's compose file, then the generated override), wrapped to fit.
      const command = confirm.slice(confirm.indexOf('Command:') + 'Command:'.length, confirm.indexOf('experiments ·')).replace(/\s+/g, ' ');
      expect(command).toContain(`-p ${c.project} -f ${path.join(c.dir, 'docker-compose.yml')} -f `);
      expect(command).toContain(`${c.project}.override.yml up -d pytorch vllm`);
      expect(await containersOf(c.project)).toEqual([]);

      await t.press('y');
      // Both services up and the campaign under way (the first experiment runs on pytorch).
      await t.waitForScreen(
        (s) => services(s).pytorch?.state === 'running' && services(s).vllm?.state === 'running' && /pytorch_a\s+pytorch\s+running/.test(s),
        30_000,
      );

      // Kill vllm from outside while pytorch experiments run (vllm's experiment comes last).
      const vllm = (
        await capture(['docker', 'ps', '-q', '--filter', `label=${LABEL}=${c.project}`, '--filter', 'label=com.docker.compose.service=vllm'])
      ).stdout.trim();
      expect(vllm).not.toBe('');
      const killedAt = Date.now();
      expect((await capture(['docker', 'kill', vllm])).exitCode).toBe(0);
      const dead = await t.waitForScreen((s) => services(s).vllm?.state === 'exited' && services(s).vllm?.lastExit === '137', 5000);
      expect(Date.now() - killedAt).toBeLessThan(5000);
      expect(services(dead).pytorch?.state).toBe('running');
      expect(dead).toMatch(/vllm_a\s+vllm\s+pending/); // the kill did not hit a running experiment

      // Select vllm and restart it.
      await t.press('j');
      await t.waitForScreen((s) => services(s).vllm?.selected === true, 5000);
      await t.press('r');
      const after = await t.waitForScreen(
        (s) => s.includes('Restart service vllm?') || (services(s).vllm?.state === 'running' && services(s).vllm!.restarts >= 1),
        20_000,
      );
      if (after.includes('Restart service vllm?')) await t.press('y');
      const restarted = await t.waitForScreen((s) => services(s).vllm?.state === 'running' && services(s).vllm!.restarts >= 1, 20_000);
      expect(services(restarted).pytorch?.state, restarted).toBe('running');

      // Teardown, after its dialog.
      await t.press('t');
      const dialog = await t.waitForScreen(`Stop and remove all services of project ${c.project}?`, 5000);
      // The dispatcher's own down command, wrapped inside the box.
      const runs = dialog.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
      expect(runs).toContain(`Runs: ${process.env.LEM_TEST_COMPOSE ?? 'docker compose'} -p ${c.project} -f `);
      expect(runs).toMatch(/override\.yml down --remove-orphans -t \d+/);
      await t.press('y');
      const summary = await t.waitForScreen((s) => /finished in/.test(s) && /exit 130/.test(s), 30_000);
      expect(summary).toMatch(/Manifest: .*campaign_manifest\.json/);
      expect(summary).toMatch(/q quit/);
      // Teardown ran before the summary: nothing of the project is left, and the CLI still waits for q.
      expect(await containersOf(c.project)).toEqual([]);
      expect(await t.exitCode()).toBeNull();

      await t.press('q');
      expect(await t.waitForExit(15_000)).toBe(130);
      expect(await containersOf(c.project)).toEqual([]);
    },
    120_000,
  );

  it(
    'persistent: n on the confirm screen exits 130 and starts nothing',
    async () => {
      const c = (campaign = await copyCampaign('decline'));
      const since = Date.now();
      const t = await start(c, cliCommand('--container-strategy', 'persistent'));
      await t.waitForScreen('Start the services? [Y/n]', 30_000);
      await t.press('n');
      expect(await t.waitForExit(15_000)).toBe(130);
      // No container was ever created for the project (not merely removed again), and no results.
      expect(await eventsSince(c.project, since)).toEqual([]);
      expect(await containersOf(c.project)).toEqual([]);
      expect(await filesUnder(path.join(c.dir, 'results'))).toEqual([]);
      expect((await filesUnder(path.join(c.dir, 'configs_runtime'))).filter((f) => !f.endsWith('.gitkeep'))).toEqual([]);
    },
    60_000,
  );

  it(
    'ephemeral at 80×24: the frame fits and is not redrawn from the top; Ctrl-C tears down and exits 130',
    async () => {
      const c = (campaign = await copyCampaign('ctrlc'));
      const t = await start(c, cliCommand('--container-strategy', 'ephemeral'), { cols: 80, rows: 24 });

      // Let the first experiment run long enough for many frames (ticker, log lines, progress).
      const running = await t.waitForScreen((s) => /pytorch_a\s+pytorch\s+running/.test(s) && /batch \d+\/\d+/.test(s), 40_000);
      expect(running).toMatch(/ephemeral/);

      // Fits: no line written past column 80 (capture-pane -J joins wrapped lines), nothing scrolled off.
      const lines = await t.joinedLines();
      const wide = lines.filter((l) => [...l].length > 80);
      expect(wide, 'lines wider than the 80-column terminal').toEqual([]);
      expect(await t.historySize(), 'lines scrolled off the top of a 24-row terminal').toBe(0);
      expect(lines[0]).toMatch(/^lem-tui e2e-tui-ctrlc/);

      // Not redrawn from the top: Ink erases and rewrites its own lines; a frame as tall as the
      // terminal would make it clear the whole screen (ESC[2J) on every update instead.
      const raw = await t.raw();
      const clears = raw.split('\x1b[2J').length - 1 + (raw.split('\x1b[H\x1b[J').length - 1);
      const frames = raw.split('\x1b[2K').length - 1; // erase-line: Ink's log-update rewriting its frame
      expect(frames, 'the TUI should have drawn several frames by now').toBeGreaterThan(5);
      expect(clears, 'clear-screen sequences in the raw output').toBeLessThanOrEqual(1);

      // Ctrl-C is the raw byte \x03 in raw mode: the TUI shows it tears down, then exits 130.
      await t.press('C-c');
      await t.waitForScreen(/tearing down|stopping/i, 5000);
      expect(await t.waitForExit(30_000)).toBe(130);
      expect(await containersOf(c.project)).toEqual([]);
      // Under the last frame (which still says "tearing down"): what happened in the end.
      const end = await t.screen();
      expect(end).toContain('lem-tui: stopped (quit requested)');
      expect(end).toContain('continue with: lem-tui campaign.yaml --resume');
      expect(end).toContain('exit code 130');
    },
    120_000,
  );

  it(
    '--yes with stdout piped: no TUI, no escape sequences, one line per transition, exit 0',
    async () => {
      const c = (campaign = await copyCampaign('pipe', { pytorch: 1, vllm: 1 }));
      const out = path.join(c.dir, 'out.txt');
      const err = path.join(c.dir, 'err.txt');
      // stdin stays the terminal; only stdout is a pipe: the CLI must still not use Ink.
      const t = await start(
        c,
        `${cliCommand('--container-strategy', 'persistent', '--yes')} 2> ${shellQuote(err)} | cat > ${shellQuote(out)}`,
      );
      expect(await t.waitForExit(90_000)).toBe(0);
      const stdout = await readFile(out, 'utf8');
      const stderr = await readFile(err, 'utf8');
      expect(stdout).not.toContain('\x1b[');
      expect(stderr).not.toContain('\x1b[');
      expect(stdout).not.toContain('\r');
      // Nothing reached the terminal (tmux's own "Pane is dead" line aside).
      expect((await t.screen()).replace(/^Pane is dead.*$/m, '').trim()).toBe('');

      const lines = stdout.split('\n').filter(Boolean);
      for (const [n, config] of [
        ['1/4', 'pytorch_a'],
        ['2/4', 'pytorch_b'],
        ['3/4', 'pytorch_c'],
        ['4/4', 'vllm_a'],
      ]) {
        const mine = lines.filter((l) => l.startsWith(`[${n}] `) && l.includes(` ${config} (`));
        expect(mine.filter((l) => / started$/.test(l)), `${config} started lines:\n${stdout}`).toHaveLength(1);
        expect(mine.filter((l) => / completed in /.test(l)), `${config} completed lines:\n${stdout}`).toHaveLength(1);
      }
      // One line per transition: no line printed twice in a row (no redraws, no spinner frames).
      const repeats = lines.filter((l, i) => i > 0 && l === lines[i - 1] && l.trim() !== '');
      expect(repeats).toEqual([]);
      expect(stdout).toMatch(/starting services: pytorch, vllm/);
      expect(await containersOf(c.project)).toEqual([]);
    },
    120_000,
  );

  // Found by the first scenario: `r` pressed while the engine tore down (the
  // run screen still shows after a start-up error or the last experiment)
  // ran `up -d` after `down`, and the service stayed up after the CLI exited.
  it(
    'a restart during teardown leaves nothing behind (the dispatcher\'s shutdown gate)',
    async () => {
      const stateDir = await mkdtemp(path.join(os.tmpdir(), 'lem-e2e-guard-'));
      try {
        const project = suite.project('guard');
        const d = createPersistentDispatcher({ target: suite.target(project), services: ['pytorch', 'vllm'], stateDir, stopGraceSeconds: 1 });
        await d.prepare(new AbortController().signal);
        // In flight when teardown begins: teardown waits for it, then removes everything.
        const inFlight = d.restart('vllm');
        const down = d.shutdown();
        // Asked for once teardown has begun: refused.
        await expect(d.restart('pytorch')).rejects.toThrow(/torn down/);
        await inFlight;
        await down;
        expect(await containersOf(project)).toEqual([]);
      } finally {
        await rm(stateDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

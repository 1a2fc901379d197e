// End to end with --gpus in persistent mode (issue 25, items 2, 3, 14): the
// BUILT CLI in tmux, the real engine and compose CLI, two stand-in GPUs. The
// services panel's rows are the slots' own services (pytorch-gpu0,
// pytorch-gpu1); r on the one that runs an experiment must ask first and
// leave it running on No; the teardown confirm names both running
// experiments; the summary lists them as interrupted, not skipped.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeProjectName } from '../../source/compose/projectName.js';
import { capture } from '../../source/io/process/process.js';
import { campaignId } from '../../source/plan/campaignId.js';
import { COMPOSE_COMMAND, ROOT, engineForTests, useDockerSuite } from '../helpers/docker.js';
import { standInGpus } from '../helpers/gpus.js';
import { shellQuote, startTmux, type TmuxSession } from '../helpers/tmux.js';

const engine = await engineForTests();

const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURE = path.join(ROOT, 'fixtures/e2e');
const LABEL = 'com.docker.compose.project';
/** The child must see a terminal and no CI, or the CLI (rightly) does not show the TUI. */
const TUI_ENV = { CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined };

/** The fixture campaign with only its pytorch configs, each running `seconds`, under a unique name. */
async function copyCampaign(seconds: number): Promise<{ dir: string; project: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lem-e2e-slots-'));
  await cp(FIXTURE, dir, { recursive: true });
  const name = `e2e-slots-${process.pid}-${Date.now().toString(36)}`;
  const file = path.join(dir, 'campaign.yaml');
  const text = (await readFile(file, 'utf8')).replace(/^campaign_name: .*$/m, `campaign_name: ${name}`).replace(/^ {2}- configs\/vllm_a\.yaml\n/m, '');
  await writeFile(file, text);
  for (const f of await readdir(path.join(dir, 'configs'))) {
    const p = path.join(dir, 'configs', f);
    await writeFile(p, (await readFile(p, 'utf8')).replace(/duration_seconds: \d+/, `duration_seconds: ${seconds}`));
  }
  return { dir, project: composeProjectName(campaignId(name), path.join(dir, '.state')) };
}

async function containersOf(project: string): Promise<string[]> {
  return (await capture(['docker', 'ps', '-aq', '--filter', `label=${LABEL}=${project}`])).stdout.split('\n').filter(Boolean);
}

/** "› pytorch-gpu1 running    0        12s      -         last output 1 s ago": the rows by service. */
function rows(screen: string): Record<string, { selected: boolean; state: string; restarts: number; busy: boolean }> {
  const out: Record<string, { selected: boolean; state: string; restarts: number; busy: boolean }> = {};
  for (const line of screen.split('\n')) {
    const m = /^([› ]) (pytorch-gpu\d)\s+(?:\S\s)?(running|exited|starting|stopped)\s+(\d+)\s/.exec(line);
    if (m && !out[m[2]!]) out[m[2]!] = { selected: m[1] === '›', state: m[3]!, restarts: Number(m[4]), busy: /(last output|no output yet)/.test(line) };
  }
  return out;
}

describe.runIf(engine)('--gpus persistent in the TUI (built CLI in tmux, real engine, stand-in GPUs)', () => {
  useDockerSuite(); // builds the images once; fails in CI without an engine
  let tmux: TmuxSession | null = null;
  let campaign: { dir: string; project: string } | null = null;

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  });

  afterEach(async () => {
    await tmux?.kill();
    tmux = null;
    const c = campaign;
    campaign = null;
    if (!c) return;
    const left = await containersOf(c.project);
    if (left.length) await capture(['docker', 'rm', '-f', ...left]);
    await rm(c.dir, { recursive: true, force: true });
    expect(left, `containers of ${c.project} left behind`).toEqual([]);
  });

  it(
    'r on the busy slot service asks first (No keeps the run); t names both running experiments; the summary says interrupted',
    async () => {
      const c = (campaign = await copyCampaign(60));
      const command = ['node', CLI, 'campaign.yaml', '--compose-command', COMPOSE_COMMAND, '--container-strategy', 'persistent', '--gpus', '0,1', '--yes'];
      tmux = await startTmux(command.map(shellQuote).join(' '), { cols: 100, rows: 30, cwd: c.dir, env: { ...TUI_ENV, ...standInGpus(2) } });
      const t = tmux;

      // Both slots run an experiment (0001 and 0002, one per GPU), each in its own service.
      await t.waitForScreen((s) => s.includes('2 running on GPUs 0,1') && rows(s)['pytorch-gpu1']?.state === 'running', 60_000);

      // r on pytorch-gpu1 (busy): the confirm names its experiment; Enter (No) keeps it running, nothing restarted.
      await t.press('j');
      await t.waitForScreen((s) => rows(s)['pytorch-gpu1']?.selected === true, 5000);
      await t.press('r');
      const ask = await t.waitForScreen('Restart service pytorch-gpu1?', 5000);
      expect(ask).toMatch(/This interrupts the running experiment 000[12] pytorch_[ab] \(cycle 1\);/);
      await t.press('Enter');
      const kept = await t.waitForScreen((s) => !s.includes('Restart service') && rows(s)['pytorch-gpu1'] !== undefined, 5000);
      expect(rows(kept)['pytorch-gpu1']).toMatchObject({ state: 'running', restarts: 0 });
      expect(kept).toContain('2 running on GPUs 0,1');
      // The panel says each slot service is busy (how long its experiment has been quiet).
      await t.waitForScreen((s) => rows(s)['pytorch-gpu0']?.busy === true && rows(s)['pytorch-gpu1']?.busy === true, 5000);

      // t: the confirm names both running experiments; y tears down.
      await t.press('t');
      const teardown = await t.waitForScreen(`Stop and remove all services of project ${c.project}?`, 5000);
      expect(teardown.replace(/[│]/g, ' ').replace(/\s+/g, ' ')).toContain('This interrupts the 2 running experiments: 0001, 0002.');
      await t.press('y');
      const summary = await t.waitForScreen((s) => /exit 130/.test(s) && /Interrupted \(2\)/.test(s), 60_000);
      expect(summary).toMatch(/interrupted 0001 pytorch_a \(cycle 1\): runs again on --resume/);
      expect(summary).toMatch(/interrupted 0002 pytorch_b \(cycle 1\): runs again on --resume/);
      expect(summary).not.toMatch(/skipped/i);
      expect(await containersOf(c.project)).toEqual([]);
      await t.press('q');
      expect(await t.waitForExit(15_000)).toBe(130);
    },
    180_000,
  );
});

// The TUI's question about harnesses a SIGKILLed local run left running: the
// built CLI in tmux (a real terminal), a harness that ignores SIGPIPE (it
// outlives lem-tui), no --yes. `n` stops lem-tui (exit 2) with the harness
// untouched; `y` stops it before anything runs, and the experiment then runs
// once, never beside it (read from the harness's own records).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, expectCompletedOnce, makeCampaign, removeCampaignDirs, startCli, waitForLog } from '../helpers/cli.js';
import { killRecordedHarnesses, overlappingRuns, readHarnessRuns, writePipeDeafHarness } from '../helpers/pipeDeafHarness.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { shellQuote, startTmux, type TmuxSession } from '../helpers/tmux.js';

allowRealProcessTime();
const TUI_ENV = { CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined };
const dirs: string[] = [];
let tmux: TmuxSession | null = null;
afterEach(async () => {
  await tmux?.kill();
  tmux = null;
});
afterAll(() => {
  for (const dir of dirs) killRecordedHarnesses(dir);
  removeCampaignDirs();
});

describe('TUI: harnesses a SIGKILLed local run left running', () => {
  it('asks first: n leaves them and exits 2; y stops them, then the experiment runs once, never beside its orphan', async () => {
    const c = makeCampaign('basic.yaml', 'local-orphan-tui', { configs: ['configs/slow20.yaml'], 'execution.cycles': 1 });
    const config = `schema_version: '3.0.0'\nconfig_name: slow20\nmodel_name: Qwen/Qwen2.5-0.5B\nbackend: pytorch\nfp_precision: float16\ndataset: {name: ai_energy_score, sample_size: 10}\npytorch: {batch_size: 4}\nharness: {duration_seconds: 20}\n`;
    fs.writeFileSync(path.join(c.dir, 'configs', 'slow20.yaml'), config);
    dirs.push(c.dir);
    const args = [c.file, '--dispatch', 'local', '--lem-command', writePipeDeafHarness(c.dir)];
    const first = startCli([...args, '--json'], { cwd: c.dir });
    await waitForLog(c, '0001', 'Experiment ID:');
    process.kill(first.pid, 'SIGKILL');
    await first.done;
    const [orphan] = readHarnessRuns(c.dir);
    expect(orphan).toBeDefined();

    const command = ['node', CLI, ...args, '--resume'].map(shellQuote).join(' ');
    const ask = async () => {
      tmux = await startTmux(command, { cols: 100, rows: 30, cwd: c.dir, env: TUI_ENV });
      const question = await tmux.waitForScreen((s) => /Stop it and go on\?/.test(s.replace(/\s+/g, ' ')), 30_000);
      const text = question.replace(/\s+/g, ' ');
      expect(text).toContain('1 harness of this campaign from an earlier run is still running');
      expect(text).toContain(`pid ${orphan!.pid}: experiment 0001`);
      return tmux;
    };

    const declined = await ask();
    await declined.press('n');
    expect(await declined.waitForExit(15_000)).toBe(2);
    expect(readHarnessRuns(c.dir).map((r) => r.exitCode), 'the orphan still runs').toEqual([null]);
    await declined.kill();

    const accepted = await ask();
    await accepted.press('y');
    await accepted.waitForScreen(/1 completed · exit 0/, 60_000);
    await accepted.press('q');
    expect(await accepted.waitForExit(20_000)).toBe(0);
    const runs = readHarnessRuns(c.dir);
    expect(runs.map((r) => r.exitCode)).toEqual([143, 0]);
    expect(overlappingRuns(runs)).toEqual([]);
    expectCompletedOnce(c, 1);
  }, 150_000);
});

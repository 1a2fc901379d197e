// The TUI with --dispatch slurm, end to end: the built CLI in tmux, the real
// cluster. The jobs panel shows Slurm's own states (RUNNING on node and GPU,
// PENDING with its reason), the experiments table says "queued", `r` on a
// running job resubmits it (a new job id, the old one CANCELLED), `q` cancels
// everything and exits 130 with no job left.
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, LEM, expectCompletedOnce, removeCampaignDirs, startCli, type Campaign } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { slurm, slurmForTests } from '../helpers/slurm.js';
import { activeJobs, campaignJobs, slurmCampaign, waitRunning } from '../helpers/slurmCampaign.js';
import { shellQuote, startTmux, type TmuxSession } from '../helpers/tmux.js';

const cluster = await slurmForTests();
const TUI_ENV = { CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined };

/** Rows of the jobs panel: job id → its STATE cell and the rest of the row. */
function jobRows(screen: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of screen.split('\n')) {
    const m = /^[›\s]\s(\d+)\s+\d{4} \S+\s+(.*)$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe.runIf(cluster)('the TUI with --dispatch slurm (built CLI in tmux, real cluster)', () => {
  allowRealProcessTime();
  let tmux: TmuxSession | null = null;
  let campaign: Campaign | null = null;
  afterEach(async () => {
    await tmux?.kill();
    tmux = null;
    const c = campaign;
    campaign = null;
    if (c) {
      const left = (await activeJobs(c)).map(([id]) => id);
      if (left.length) await slurm(['scancel', ...left]);
      expect(left, `jobs of ${c.name} left in the queue`).toEqual([]);
    }
    removeCampaignDirs();
  }, 60_000);

  it('jobs panel with RUNNING and PENDING (Resources); r resubmits a running job; q cancels all, exit 130', async () => {
    const long = 'duration_seconds: 60';
    const c = (campaign = slurmCampaign('tui', { pytorch_a: long, vllm_b: long, pytorch_c: long }, { 'execution.cycles': 1 }));
    const command = ['node', CLI, c.file, '--dispatch', 'slurm', '--lem-command', LEM, '--slurm-max-jobs', '3'].map(shellQuote).join(' ');
    const t = (tmux = await startTmux(command, { cols: 110, rows: 32, cwd: c.dir, env: TUI_ENV }));

    const busy = await t.waitForScreen((s) => {
      const states = [...jobRows(s).values()];
      return states.filter((r) => /^RUNNING\s+\S+\s+[01]\b/.test(r)).length === 2 && states.some((r) => r.startsWith('PENDING (Resources)'));
    }, 60_000);
    expect(busy).toContain('Jobs (slurm, default partition, up to 3 at once) · 2 running · 1 pending (Resources)');
    expect(busy).toMatch(/slurm · default partition/);
    expect(busy).toMatch(/ queued /);
    // The GPUs the panel shows are the ones Slurm gave: one each.
    const gpus = [...jobRows(busy).values()].flatMap((r) => /^RUNNING\s+\S+\s+([01])\b/.exec(r)?.[1] ?? []);
    expect(gpus.sort()).toEqual(['0', '1']);

    // r on the first row (a running job): asks, then cancels it and submits it again.
    const first = [...jobRows(busy).entries()].find(([, r]) => r.startsWith('RUNNING'))![0];
    await t.waitForScreen((s) => new RegExp(`› ${first}\\b`).test(s), 5000).catch(async () => {
      await t.press('k');
      await t.waitForScreen((s) => new RegExp(`› ${first}\\b`).test(s), 5000);
    });
    await t.press('r');
    await t.waitForScreen(`Resubmit job ${first}`, 5000);
    await t.press('y');
    const resubmitted = await t.waitForScreen((s) => jobRows(s).get(first)?.startsWith('CANCELLED') === true && jobRows(s).size === 4, 30_000);
    expect(resubmitted).toMatch(new RegExp(`job ${first} cancelled to resubmit it \\(r\\)`));
    const jobs = await campaignJobs(c);
    expect(jobs.get(first)?.state).toBe('CANCELLED');
    expect([...jobs.values()].filter((j) => j.name === jobs.get(first)!.name)).toHaveLength(2);

    await t.press('q');
    expect(await t.waitForExit(60_000)).toBe(130);
    expect(await t.screen()).toContain('--resume');
    expect(await activeJobs(c)).toEqual([]);
  }, 180_000);

  it('after a SIGKILL: the next start asks about the jobs the dead run left; y cancels them, then the campaign goes on', async () => {
    const c = (campaign = slurmCampaign('tui-orphans', { pytorch_a: 'duration_seconds: 8', vllm_b: 'duration_seconds: 2' }, { 'execution.cycles': 1 }));
    const dead = startCli([c.file, '--dispatch', 'slurm', '--lem-command', LEM, '--no-tui', '--yes', '--json'], { cwd: c.dir });
    const orphans = await waitRunning(c, 2);
    process.kill(dead.pid, 'SIGKILL');
    await dead.done;

    const command = ['node', CLI, c.file, '--dispatch', 'slurm', '--lem-command', LEM, '--resume'].map(shellQuote).join(' ');
    const t = (tmux = await startTmux(command, { cols: 110, rows: 32, cwd: c.dir, env: TUI_ENV }));
    // The question wraps where the job ids leave it (their width grows with the cluster's job count).
    const question = await t.waitForScreen((s) => /Cancel\s+them and go on\?/.test(s), 30_000);
    expect(question.replace(/\s+/g, ' ')).toMatch(/2 Slurm jobs of this campaign from an earlier run are still queued or running/);
    for (const id of orphans) expect(question).toContain(id);
    expect((await campaignJobs(c)).size).toBe(2); // nothing submitted while it asks
    await t.press('y');
    await t.waitForScreen((s) => /finished in/.test(s), 90_000);
    for (const id of orphans) expect((await campaignJobs(c)).get(id)?.state ?? 'CANCELLED').toBe('CANCELLED');
    await t.press('q');
    expect(await t.waitForExit(30_000)).toBe(0);
    expectCompletedOnce(c, 2);
  }, 180_000);
});


// A signal while Node is still loading lem-tui (the first ~100 ms, before the
// flags are read) ends it with 130, as every interruption does, not by the
// signal (143 for SIGTERM, 129 for SIGHUP): the entry's first lines catch it
// and the start-up guard takes it over. The window is normally too short to
// hit on purpose, so a module hook (helpers/slowLoad/) holds the program's
// first module after the entry for 2 s and says when it does; the signal is
// sent inside that wait. The built CLI, a real local run, real signals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, LEM, makeCampaign, removeCampaignDirs, ROOT, sleep } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const REGISTER = path.join(ROOT, 'test/helpers/slowLoad/register.mjs');

/** Starts a real local run whose program loads slowly; resolves once the loading has begun. */
async function startLoadingSlowly(tag: string) {
  const c = makeCampaign('basic.yaml', tag);
  const mark = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lem-slow-load-')), 'loading');
  const cli = execa('node', ['--import', REGISTER, CLI, c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui', '--yes'], {
    cwd: c.dir,
    env: { LEM_SLOW_LOAD_MARK: mark, LEM_SLOW_LOAD_MS: '2000', CI: undefined, NO_COLOR: '1' },
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  while (!fs.existsSync(mark)) {
    if (cli.exitCode !== null) break; // ended before loading: the assertions say how
    await sleep(5);
  }
  return { c, cli };
}

describe('a signal while the program loads', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('%s: exit 130, nothing started', async (signal) => {
    const { c, cli } = await startLoadingSlowly(`early-${signal.toLowerCase()}`);
    process.kill(cli.pid!, signal);
    const done = await cli;
    expect(done.signal, done.stderr).toBeUndefined();
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.stderr).toContain(`interrupted by ${signal} before the campaign started: nothing was started`);
    expect(fs.existsSync(path.join(c.dir, '.state')), 'nothing written').toBe(false);
    expect(fs.existsSync(c.resultsDir), 'no results').toBe(false);
  });

  it('a second signal while it loads: exit 130 at once', async () => {
    const { cli } = await startLoadingSlowly('early-twice');
    const sent = Date.now();
    process.kill(cli.pid!, 'SIGTERM');
    await sleep(50);
    process.kill(cli.pid!, 'SIGTERM');
    const done = await cli;
    expect(done.signal, done.stderr).toBeUndefined();
    expect(done.exitCode, done.stderr).toBe(130);
    expect(Date.now() - sent, 'did not wait for the program to load').toBeLessThan(1_200);
  });
});

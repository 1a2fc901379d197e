// A signal while lem-tui is still starting (checking the environment, taking
// the lock and the manifest, sweeping leftovers) ends it with 130, as the
// README promises for every interruption, having started nothing and
// released its lock. The compose client is made slow (a wrapper that waits
// before running the real one) so that the signal lands inside preflight.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPOSE_COMMAND, engineForTests, useDockerSuite } from '../helpers/docker.js';
import { makeCampaign, projectLeftovers, removeCampaignDirs, sleep, startCli, useCampaignProjects } from '../helpers/cli.js';

const engine = await engineForTests();
const wrapperDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-slow-compose-'));
const SLOW_COMPOSE = path.join(wrapperDir, 'slow-compose');
const CALLED = path.join(wrapperDir, 'called');
// Says it was called (preflight has begun), then waits before the real client.
fs.writeFileSync(SLOW_COMPOSE, `#!/bin/sh\ntouch ${CALLED}\nsleep 3\nexec ${COMPOSE_COMMAND} "$@"\n`, { mode: 0o755 });

describe.runIf(engine)('signals during start-up (real engine)', () => {
  useDockerSuite();
  const projects = useCampaignProjects();
  afterAll(() => {
    removeCampaignDirs();
    fs.rmSync(wrapperDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('%s during preflight: exit 130, nothing started, the lock released', async (signal) => {
    const c = projects.track(makeCampaign('basic.yaml', `startup-${signal.toLowerCase()}`));
    fs.rmSync(CALLED, { force: true });
    const cli = startCli([c.file, '--no-tui', '--yes', '--dispatch', 'docker', '--compose-command', SLOW_COMPOSE], { cwd: c.dir });
    while (!fs.existsSync(CALLED)) await sleep(20); // preflight has begun: inside the wrapper's 3 s
    process.kill(cli.pid, signal);
    const done = await cli.done;
    expect(done.signal, done.stderr).toBeUndefined();
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.stderr).toContain(`interrupted by ${signal} before the campaign started: nothing was started`);
    expect(await projectLeftovers(c.project)).toEqual([]);
    expect(fs.existsSync(path.join(c.dir, '.state', 'lem-tui.lock')), 'lock released').toBe(false);
    expect(fs.existsSync(c.manifestPath), 'no manifest written').toBe(false);
  }, 30_000);
});

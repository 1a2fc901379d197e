// Local dispatch and signals from outside lem-tui: a harness killed by a
// signal (the OOM killer's SIGKILL) has no exit code, and is retried like a
// container's 137. The built CLI runs a real wrapper around the stand-in
// harness, which kills itself on its first attempt only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, LEM, makeCampaign, parseNdjson, readManifest, removeCampaignDirs, runCli } from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

/** A harness that SIGKILLs itself the first time it is started in `dir`, then runs the stand-in. */
function killedOnceHarness(dir: string): string {
  const file = path.join(dir, 'lem-killed-once');
  const marker = path.join(dir, 'killed-once');
  fs.writeFileSync(
    file,
    `#!/bin/sh\nif [ ! -e '${marker}' ]; then\n  : > '${marker}'\n  echo "killing myself (the OOM killer's way)"\n  kill -KILL $$\nfi\nexec '${LEM}' "$@"\n`,
    { mode: 0o755 },
  );
  return file;
}

describe('local dispatch: a harness ended by a signal from outside', () => {
  it('SIGKILL (no exit code) is retried per max_retries, like exit 137 in Docker', async () => {
    const c = makeCampaign('basic.yaml', 'local-sigkill', { configs: ['configs/pytorch_quick.yaml'], 'execution.cycles': 1 });
    const lem = killedOnceHarness(c.dir);
    const r = await runCli([c.file, '--dispatch', 'local', '--lem-command', lem, '--json'], { cwd: c.dir });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const events = parseNdjson(r.stdout);
    const retrying = events.filter((e) => e.type === 'experiment.retrying');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]).toMatchObject({ expId: '0001', nextAttempt: 2 });
    expect(retrying[0]!.reason).toMatch(/SIGKILL.*137/);
    expect(readManifest(c).experiments[0]).toMatchObject({ status: 'completed', retry_count: 1 });
    expectCompletedOnce(c, 1);
  });
});

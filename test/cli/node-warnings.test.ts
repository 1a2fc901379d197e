// Node's own warnings never reach the user's screen: with 11 or more slots
// (one per GPU of a large node) every slot listens to the campaign's signal,
// which made Node print MaxListenersExceededWarning over the TUI; and any
// other warning Node raises during a run becomes a notice of the run, not a
// raw "(node:PID) …" line on stderr. The built CLI, local dispatch, the
// stand-in harness and nvidia-smi.
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, LEM, makeCampaign, parseNdjson, readManifest, removeCampaignDirs, ROOT, runCli } from '../helpers/cli.js';
import { standInGpus } from '../helpers/gpus.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();
afterAll(() => removeCampaignDirs());

const local = ['--dispatch', 'local', '--lem-command', LEM, '--json', '--yes'];

describe("Node's warnings", () => {
  it('16 GPU slots: no warning on stderr, every experiment completed', async () => {
    const c = makeCampaign('basic.yaml', 'many-slots');
    const r = await runCli([c.file, ...local, '--gpus', 'all'], { cwd: c.dir, env: standInGpus(16) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const notices = parseNdjson(r.stdout).filter((e) => e.type === 'notice');
    expect(notices.filter((e) => /Warning/.test(String(e.message)))).toEqual([]);
    expect(readManifest(c).experiments.map((e) => e.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  });

  it('a warning Node raises during the run: a notice of the run, not a line of its own on stderr', async () => {
    const c = makeCampaign('basic.yaml', 'node-warning', { configs: ['configs/pytorch_long.yaml'], 'execution.cycles': 1 });
    const r = await execa('node', ['--import', path.join(ROOT, 'test/helpers/emitWarning.mjs'), CLI, c.file, ...local], {
      cwd: c.dir,
      env: { LEM_TEST_WARN_WHEN: c.manifestPath, CI: undefined, NO_COLOR: '1' },
      reject: false,
      stdin: 'ignore',
      timeout: 60_000,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const notices = parseNdjson(r.stdout).filter((e) => e.type === 'notice');
    expect(notices.map((e) => e.message)).toContainEqual(expect.stringContaining('TestWarning: a warning raised by the test'));
  });
});

// An experiment that exits 0 without writing a result is a measurement that
// did not happen: it fails with that reason (and the campaign exits 1),
// unless runner.require_result is false. Real harness processes (the
// stand-in's `no_result` and `malformed_result` modes), local dispatch.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, parseNdjson, readManifest, removeCampaignDirs, runCli } from '../helpers/cli.js';

afterAll(() => removeCampaignDirs());

function campaignWith(tag: string, mode: 'no_result' | 'malformed_result', runner: Record<string, unknown> = {}) {
  const c = makeCampaign('basic.yaml', tag, { 'execution.cycles': 1, ...Object.fromEntries(Object.entries(runner).map(([k, v]) => [`runner.${k}`, v])) });
  const config = path.join(c.dir, 'configs/pytorch_quick.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('harness: {duration_seconds: 0}', `harness: {duration_seconds: 0, ${mode}: true}`));
  return c;
}

const run = (file: string, cwd: string) => runCli([file, '--dispatch', 'local', '--lem-command', LEM, '--json'], { cwd });

describe('runner.require_result', () => {
  it.each(['no_result', 'malformed_result'] as const)('exit 0 with %s: the experiment failed ("no result file found"), exit 1', async (mode) => {
    const c = campaignWith(`req-${mode}`, mode);
    const r = await run(c.file, c.dir);
    expect(r.exitCode, r.stderr).toBe(1);
    const finished = parseNdjson(r.stdout).filter((e) => e.type === 'experiment.finished');
    expect(finished.map((e) => [e.configName, e.status, e.reason])).toEqual([
      ['pytorch_quick', 'failed', 'no result file found'],
      ['vllm_quick', 'completed', null],
    ]);
    expect(readManifest(c).experiments.map((e) => [e.status, e.error])).toEqual([
      ['failed', 'no result file found'],
      ['completed', null],
    ]);
  });

  it('require_result: false: such an experiment is completed, with "no result file found" said', async () => {
    const c = campaignWith('req-off', 'no_result', { require_result: false });
    const r = await run(c.file, c.dir);
    expect(r.exitCode, r.stderr).toBe(0);
    const finished = parseNdjson(r.stdout).filter((e) => e.type === 'experiment.finished');
    expect(finished[0]).toMatchObject({ configName: 'pytorch_quick', status: 'completed', reason: 'no result file found', metrics: null });
  });
});

// The engine driven directly (as the TUI drives it) with the real local
// dispatcher and the stand-in harness as real child processes: the commands
// the keys send (skip, pause, quit) and what they leave in the manifest.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CampaignEngine } from '../../source/campaign/engine.js';
import { createManifest } from '../../source/campaign/manifest.js';
import { createLocalDispatcher } from '../../source/dispatch/localDispatcher.js';
import type { CliFlags } from '../../source/config/types.js';
import { prepareCampaign } from '../../source/prepareCampaign.js';
import type { Action } from '../../source/state/types.js';
import {
  LEM,
  makeCampaign,
  processesMentioning,
  readManifest,
  removeCampaignDirs,
  resultsByExperiment,
  sleep,
  waitForLog,
  type Campaign,
} from '../helpers/cli.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();

afterAll(() => removeCampaignDirs());

const FLAGS: CliFlags = { yes: true, dryRun: false, validateOnly: false, tui: false, json: false, dispatch: 'local', lemCommand: LEM };

async function engineFor(c: Campaign) {
  const prepared = await prepareCampaign(c.file, FLAGS, c.dir, process.env);
  const manifest = createManifest(prepared.plan, { campaignFileHash: prepared.loaded.fileHash, now: new Date() });
  const actions: Action[] = [];
  const engine = new CampaignEngine({
    plan: prepared.plan,
    settings: prepared.settings,
    dispatcher: createLocalDispatcher({ cwd: c.dir, killGraceMs: 1000 }),
    dispatch: (action) => actions.push(action),
    manifest,
    toRun: new Set(prepared.plan.experiments.map((e) => e.expId)),
    where: 'local',
    env: process.env,
    caller: { uid: process.getuid!(), gid: process.getgid!() },
    needsConfirm: false,
  });
  const waitFor = async (match: (a: Action) => boolean, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = actions.find(match);
      if (found) return found;
      await sleep(20);
    }
    throw new Error(`no matching action; got ${actions.map((a) => a.type).join(', ')}`);
  };
  return { engine, actions, waitFor };
}

const finishedOf = (actions: Action[]) =>
  actions.flatMap((a) => (a.type === 'experiment/finished' ? [[a.expId, a.status] as const] : []));

describe('engine commands with real harness processes (local dispatch)', () => {
  it('skip: the running experiment is stopped and recorded skipped; the campaign goes on and exits 0', async () => {
    const c = makeCampaign('slow.yaml', 'eng-skip', { 'execution.cycles': 1 });
    const { engine, actions } = await engineFor(c);
    const running = engine.run();
    await waitForLog(c, '0001', 'Experiment ID:');
    engine.command({ type: 'skipCurrent' });
    expect(await running).toBe(0);
    expect(finishedOf(actions)).toEqual([
      ['0001', 'skipped'],
      ['0002', 'completed'],
    ]);
    const manifest = readManifest(c);
    expect(manifest.experiments.map((e) => [e.exp_id, e.status, e.error])).toEqual([
      ['0001', 'skipped', 'skipped by user'],
      ['0002', 'completed', null],
    ]);
    expect([...resultsByExperiment(c).keys()]).toEqual(['0002']);
    expect(await processesMentioning(c.dir)).toEqual([]);
  });

  it('pause: after the current experiment the campaign waits; un-pause goes on; quit while paused exits 130', async () => {
    const c = makeCampaign('basic.yaml', 'eng-pause');
    const { engine, actions, waitFor } = await engineFor(c);
    const running = engine.run();
    await waitFor((a) => a.type === 'experiment/started' && a.expId === '0001');
    engine.command({ type: 'togglePause' });
    await waitFor((a) => a.type === 'campaign/paused');
    expect(finishedOf(actions)).toEqual([['0001', 'completed']]);
    await sleep(500);
    expect(actions.filter((a) => a.type === 'experiment/started')).toHaveLength(1); // it waits
    engine.command({ type: 'togglePause' });
    await waitFor((a) => a.type === 'experiment/started' && a.expId === '0002');
    engine.command({ type: 'togglePause' });
    await waitFor((a) => a.type === 'campaign/paused' && actions.filter((x) => x.type === 'campaign/paused').length === 2);
    engine.command({ type: 'quit', force: false });
    expect(await running).toBe(130);
    const manifest = readManifest(c);
    expect(manifest.experiments.map((e) => e.status)).toEqual(['completed', 'completed', 'pending', 'pending']);
    expect(actions.at(-1)).toMatchObject({ type: 'campaign/finished', exitCode: 130 });
  });

  it('quit mid-experiment: the harness is stopped, the entry goes back to pending, the manifest on disk is final', async () => {
    const c = makeCampaign('slow.yaml', 'eng-quit');
    const { engine, actions } = await engineFor(c);
    const running = engine.run();
    await waitForLog(c, '0001', 'Experiment ID:');
    engine.command({ type: 'quit', force: false });
    expect(await running).toBe(130);
    expect(finishedOf(actions)).toEqual([['0001', 'interrupted']]); // not 'skipped': s means something else
    // Said once, and the teardown keeps it ("Tearing down (quit requested)…"), not a generic "tearing down".
    const stopping = actions.filter((a) => a.type === 'campaign/stopping');
    expect(stopping).toEqual([expect.objectContaining({ reason: 'quit requested' })]);
    // run() resolves only after the last manifest write.
    const onDisk = JSON.parse(fs.readFileSync(c.manifestPath, 'utf8')) as { experiments: { status: string }[] };
    expect(onDisk.experiments.map((e) => e.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(await processesMentioning(c.dir)).toEqual([]);
  });
});

// The engine as a scheduler of slots, against an in-memory dispatcher whose
// runs end when the test says (or when their signal is aborted): how many run
// at once, that each planned experiment runs once, and that pause, skip and
// quit reach every slot.
import { describe, expect, it } from 'vitest';
import { CampaignEngine } from '../../source/campaign/engine.js';
import { createManifest, readManifest } from '../../source/campaign/manifest.js';
import type { Manifest } from '../../source/campaign/types.js';
import type { Action } from '../../source/state/types.js';
import { tempDir } from '../config/helpers.js';
import { engineSettings } from './engineSettings.js';
import { fakeDispatcher, until } from './fakeDispatcher.js';
import { plan } from './planFixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startEngine(options: { slots?: number; configs?: number; cycles?: number; toRun?: string[] } = {}) {
  const cwd = await tempDir();
  const names = Array.from({ length: options.configs ?? 4 }, (_, i) => `config_${i}`);
  const thePlan = plan(names, options.cycles ?? 2);
  const settings = engineSettings(cwd);
  const fake = fakeDispatcher();
  const actions: Action[] = [];
  const engine = new CampaignEngine({
    plan: thePlan,
    settings,
    dispatcher: fake.dispatcher,
    dispatch: (action) => actions.push(action),
    manifest: createManifest(thePlan, { campaignFileHash: 'x', now: new Date(0) }),
    toRun: new Set(options.toRun ?? thePlan.experiments.map((e) => e.expId)),
    where: 'local',
    env: {},
    caller: { uid: 1000, gid: 1000 },
    needsConfirm: false,
    slots: options.slots,
  });
  let exitCode: number | null = null;
  const running = engine.run().then((code) => (exitCode = code));
  const manifest = async () => (await readManifest(settings.manifestPath)) as Manifest;
  return { engine, fake, actions, plan: thePlan, running, done: () => exitCode !== null, manifest };
}

type Started = Awaited<ReturnType<typeof startEngine>>;

const ofType = <T extends Action['type']>(actions: Action[], type: T) =>
  actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);

/** Ends open runs, newest first, until the campaign is over. */
async function finishAll(started: Started): Promise<void> {
  for (;;) {
    await until(() => started.done() || started.fake.open().length > 0, 'a run to open, or the end');
    const open = started.fake.open();
    if (open.length === 0) return;
    open.at(-1)!.finish();
  }
}

describe('engine with slots: 3', () => {
  it('runs three experiments at once, never more, and every planned experiment exactly once', async () => {
    const started = await startEngine({ slots: 3 });
    await until(() => started.fake.open().length === 3, 'three runs at once');
    await sleep(50);
    expect(started.fake.open()).toHaveLength(3); // a fourth does not start while three run
    await finishAll(started);
    await started.running;
    expect(started.fake.mostAtOnce()).toBe(3);
    const ran = started.fake.runs.map((r) => r.request.expId);
    expect([...ran].sort()).toEqual(started.plan.experiments.map((e) => e.expId));
    expect(ofType(started.actions, 'campaign/finished')).toEqual([expect.objectContaining({ exitCode: 0 })]);
    expect((await started.manifest()).experiments.map((e) => e.status)).toEqual(Array(8).fill('completed'));
  });

  it('each slot takes the next experiment of the plan when it is free', async () => {
    const started = await startEngine({ slots: 3 });
    await until(() => started.fake.open().length === 3, 'three runs at once');
    expect(started.fake.open().map((r) => r.request.expId).sort()).toEqual(['0001', '0002', '0003']);
    started.fake.open().find((r) => r.request.expId === '0002')!.finish();
    await until(() => started.fake.runs.length === 4, 'the freed slot to start the next');
    expect(started.fake.runs[3]!.request.expId).toBe('0004');
    await finishAll(started);
    await started.running;
  });

  it('pause: no slot starts another experiment until resumed; the running ones finish; then all go on', async () => {
    const started = await startEngine({ slots: 3 });
    await until(() => started.fake.open().length === 3, 'three runs at once');
    started.engine.command({ type: 'togglePause' });
    for (const run of started.fake.open()) run.finish();
    await until(() => ofType(started.actions, 'campaign/paused').length === 1, 'campaign/paused');
    await sleep(200);
    expect(started.fake.runs).toHaveLength(3); // paused: none of the three free slots started one
    expect(ofType(started.actions, 'experiment/finished')).toHaveLength(3);
    started.engine.command({ type: 'togglePause' });
    // The last experiment of cycle 1 starts; cycle 2 waits until it has ended (planQueue.ts).
    await until(() => started.fake.open().length === 1, 'the last experiment of cycle 1');
    await sleep(100);
    expect(started.fake.runs).toHaveLength(4);
    started.fake.open()[0]!.finish();
    await until(() => started.fake.open().length === 3, 'all three slots to go on with cycle 2');
    await finishAll(started);
    expect(await started.running).toBe(0);
    expect(ofType(started.actions, 'campaign/paused')).toHaveLength(1);
    expect(ofType(started.actions, 'campaign/resumed')).toHaveLength(1);
    expect(started.fake.runs).toHaveLength(8);
  });

  it('skip: every running experiment is skipped, and the slots go on with the next ones', async () => {
    const started = await startEngine({ slots: 3 });
    await until(() => started.fake.open().length === 3, 'three runs at once');
    const first = started.fake.open();
    started.engine.command({ type: 'skipCurrent' });
    expect(first.every((r) => r.signal.aborted)).toBe(true);
    await finishAll(started);
    expect(await started.running).toBe(0);
    const finished = ofType(started.actions, 'experiment/finished');
    const firstIds = first.map((r) => r.request.expId);
    expect(finished.filter((f) => firstIds.includes(f.expId)).map((f) => f.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(finished.filter((f) => f.status === 'completed')).toHaveLength(5);
  });

  it('quit: all three running slots see their signal aborted; nothing more starts; exit code 130', async () => {
    const started = await startEngine({ slots: 3 });
    await until(() => started.fake.open().length === 3, 'three runs at once');
    started.engine.command({ type: 'quit', force: false });
    expect(await started.running).toBe(130);
    expect(started.fake.runs).toHaveLength(3);
    expect(started.fake.runs.map((r) => r.signal.aborted)).toEqual([true, true, true]);
    expect(ofType(started.actions, 'campaign/stopping')).toHaveLength(1);
    // Interrupted, not skipped by the user: they run again on --resume.
    expect((await started.manifest()).experiments.map((e) => e.status)).toEqual(Array(8).fill('pending'));
    expect(started.fake.calls.at(-1)).toBe('shutdown');
  });
});

describe('engine with one slot (the default)', () => {
  it('runs the experiments to run one after another, in plan order', async () => {
    const started = await startEngine({ configs: 3, cycles: 2, toRun: ['0001', '0003', '0004', '0006'] });
    await finishAll(started);
    expect(await started.running).toBe(0);
    expect(started.fake.mostAtOnce()).toBe(1);
    const order = started.actions.flatMap((a) =>
      a.type === 'experiment/started' || a.type === 'experiment/finished' ? [`${a.type.slice('experiment/'.length)} ${a.expId}`] : [],
    );
    expect(order).toEqual([
      'started 0001',
      'finished 0001',
      'started 0003',
      'finished 0003',
      'started 0004',
      'finished 0004',
      'started 0006',
      'finished 0006',
    ]);
  });
});

describe('engine: resubmitJob (Slurm r)', () => {
  it('ends the attempt through the dispatcher and runs it again at once, without spending the retry budget', async () => {
    const started = await startEngine({ slots: 2, configs: 2, cycles: 1 });
    const asked: string[] = [];
    started.fake.dispatcher.resubmit = async (expId) => {
      asked.push(expId);
      started.fake.open().find((r) => r.request.expId === expId)!.finish(143); // scancel: srun ends 143
      return true;
    };
    await until(() => started.fake.open().length === 2, 'both running');
    started.engine.command({ type: 'resubmitJob', expId: '0002' });
    await until(() => started.fake.runs.filter((r) => r.request.expId === '0002').length === 2, 'a second attempt of 0002');
    expect(asked).toEqual(['0002']);
    expect(ofType(started.actions, 'experiment/retrying')).toEqual([expect.objectContaining({ expId: '0002', nextAttempt: 2, delayMs: 0 })]);
    await finishAll(started);
    expect(await started.running).toBe(0);
    const entries = (await started.manifest()).experiments;
    expect(entries.map((e) => [e.exp_id, e.status, e.retry_count])).toEqual([
      ['0001', 'completed', 0],
      ['0002', 'completed', 1],
    ]);
  });

  it('an experiment that is not running: a notice, nothing cancelled', async () => {
    const started = await startEngine({ slots: 1, configs: 2, cycles: 1 });
    const asked: string[] = [];
    started.fake.dispatcher.resubmit = async (expId) => (asked.push(expId), true);
    await until(() => started.fake.open().length === 1, 'one running');
    started.engine.command({ type: 'resubmitJob', expId: '0002' });
    await sleep(20);
    expect(asked).toEqual([]);
    expect(ofType(started.actions, 'notice').map((n) => n.message)).toContain('nothing to resubmit: 0002 is not running');
    await finishAll(started);
    await started.running;
  });
});

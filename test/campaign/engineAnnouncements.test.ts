// What the engine announces about starting and stopping, seen through the
// plain reporter as a --no-tui user sees it. An in-memory dispatcher stands in
// for Docker: no process, no timer, so the order of events is the only clock.
import { describe, expect, it } from 'vitest';
import { CampaignEngine } from '../../source/campaign/engine.js';
import { createManifest } from '../../source/campaign/manifest.js';
import type { Dispatcher } from '../../source/dispatch/types.js';
import type { RunOutcome } from '../../source/domain/runRequest.js';
import { campaignSchema } from '../../source/config/campaignSchema.js';
import { resolveSettings } from '../../source/config/settings.js';
import { userConfigSchema } from '../../source/config/userConfigSchema.js';
import { createPlainReporter } from '../../source/report/plain.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { createStore } from '../../source/state/store.js';
import type { Action } from '../../source/state/types.js';
import { tempDir } from '../config/helpers.js';
import { meta } from '../state/fixtures.js';
import { plan } from './planFixture.js';

type Kind = 'local' | 'ephemeral' | 'persistent';

/** What each real dispatcher says it can do (source/dispatch/*Dispatcher.ts). */
const CAPABILITIES: Record<Kind, Dispatcher['capabilities']> = {
  local: { keepsServicesUp: false, restartsServices: false, coldStart: false },
  ephemeral: { keepsServicesUp: false, restartsServices: false, coldStart: false },
  persistent: { keepsServicesUp: true, restartsServices: true, coldStart: true },
};

/** Records what it is asked to do; `hold` keeps each experiment running until it is cancelled. */
function fakeDispatcher(kind: Kind, hold = false) {
  const calls: string[] = [];
  const dispatcher: Dispatcher = {
    capabilities: CAPABILITIES[kind],
    commands: { up: null, down: null, stopHint: null },
    prepare: async () => void calls.push('prepare'),
    run: (request, { signal }) =>
      new Promise<RunOutcome>((resolve) => {
        calls.push(`run ${request.expId}`);
        const end = (cancelled: boolean) =>
          resolve({ exitCode: cancelled ? null : 0, signal: null, durationMs: 1, timedOut: false, cancelled, reason: null });
        if (!hold) return end(false);
        if (signal.aborted) return end(true);
        signal.addEventListener('abort', () => end(true), { once: true });
      }),
    describe: () => ['fake'],
    restart: async () => void calls.push('restart'),
    shutdown: async () => void calls.push('teardown'),
    leftRunning: async () => null,
    onState: () => () => {},
  };
  return { dispatcher, calls };
}

async function runEngine(options: {
  kind: Kind;
  toRun?: 'all' | 'none';
  hold?: boolean;
  onAction?: (action: Action, engine: CampaignEngine) => void;
}) {
  const cwd = await tempDir();
  const thePlan = plan(['pytorch_a', 'vllm_b'], 1);
  const settings = resolveSettings({
    flags: { yes: true, dryRun: false, validateOnly: false, tui: false, json: false },
    campaign: campaignSchema.parse({
      campaign_name: thePlan.campaignName,
      configs: ['a.yaml'],
      execution: { config_gap_seconds: 0, cycle_gap_seconds: 0 },
      runner: { require_result: false }, // the fake dispatcher writes no result files
    }),
    campaignPath: 'campaign.yaml',
    userConfig: userConfigSchema.parse({}),
    cwd,
    env: {},
    fileExists: () => false,
  });
  const { dispatcher, calls } = fakeDispatcher(options.kind, options.hold);
  const store = createStore(campaignReducer, initialCampaignState());
  const lines: string[] = [];
  store.subscribe(createPlainReporter((line) => lines.push(line)));
  const strategy = options.kind === 'persistent' ? 'persistent' : 'ephemeral';
  store.dispatch({
    type: 'campaign/planned',
    at: 0,
    meta: { ...meta, strategy, dispatch: options.kind === 'local' ? 'local' : 'docker', autoTeardown: true },
    experiments: [],
    services: options.kind === 'local' ? [] : thePlan.services,
  });
  let engine: CampaignEngine | null = null;
  engine = new CampaignEngine({
    plan: thePlan,
    settings,
    dispatcher,
    dispatch: (action) => {
      store.dispatch(action);
      options.onAction?.(action, engine!);
    },
    manifest: createManifest(thePlan, { campaignFileHash: 'x', now: new Date(0) }),
    toRun: new Set(options.toRun === 'none' ? [] : thePlan.experiments.map((e) => e.expId)),
    where: options.kind === 'local' ? 'local' : 'docker',
    env: {},
    caller: { uid: 1000, gid: 1000 },
    needsConfirm: false,
  });
  const exitCode = await engine.run();
  return { exitCode, lines, calls };
}

describe('engine: "starting services" only when services are started', () => {
  it('persistent with something to run: starts them and says which', async () => {
    const { lines, calls } = await runEngine({ kind: 'persistent' });
    expect(lines.filter((l) => l.startsWith('starting'))).toEqual(['starting services: pytorch, vllm']);
    expect(calls).toEqual(['prepare', 'run 0001', 'run 0002', 'teardown']);
  });

  it('persistent with nothing to run (a finished campaign resumed): starts nothing, names no service', async () => {
    const { exitCode, lines, calls } = await runEngine({ kind: 'persistent', toRun: 'none' });
    expect(exitCode).toBe(0);
    expect(lines.filter((l) => l.startsWith('starting'))).toEqual(['starting']);
    expect(calls).toEqual(['teardown']);
  });

  it.each(['ephemeral', 'local'] as const)('%s: no long-lived services, so none is said to start', async (kind) => {
    const { lines, calls } = await runEngine({ kind });
    expect(lines.filter((l) => l.startsWith('starting'))).toEqual(['starting']);
    expect(calls).toEqual(['prepare', 'run 0001', 'run 0002', 'teardown']);
  });
});

describe('engine: a quit is announced once', () => {
  it('"stopping: quit requested" once, though the teardown follows it', async () => {
    const { exitCode, lines, calls } = await runEngine({
      kind: 'persistent',
      hold: true,
      onAction: (action, engine) => {
        if (action.type === 'experiment/started') queueMicrotask(() => engine.command({ type: 'quit', force: false }));
      },
    });
    expect(exitCode).toBe(130);
    expect(lines.filter((l) => l.startsWith('stopping'))).toEqual(['stopping: quit requested']);
    expect(calls).toEqual(['prepare', 'run 0001', 'teardown']);
  });

  it('a quit while the services start: no "started" after it, and still said once', async () => {
    const { exitCode, lines, calls } = await runEngine({
      kind: 'persistent',
      onAction: (action, engine) => {
        if (action.type === 'campaign/starting') queueMicrotask(() => engine.command({ type: 'quit', force: false }));
      },
    });
    expect(exitCode).toBe(130);
    expect(lines.filter((l) => /^(starting|started|stopping)/.test(l))).toEqual(['starting services: pytorch, vllm', 'stopping: quit requested']);
    expect(calls).toEqual(['prepare', 'teardown']);
  });

  it('a forced quit after it is news: said too', async () => {
    let quits = 0;
    const { lines } = await runEngine({
      kind: 'persistent',
      hold: true,
      onAction: (action, engine) => {
        if (action.type !== 'experiment/started' || quits++ > 0) return;
        queueMicrotask(() => {
          engine.command({ type: 'quit', force: false });
          engine.command({ type: 'quit', force: true });
        });
      },
    });
    expect(lines.filter((l) => l.startsWith('stopping'))).toEqual(['stopping: quit requested', 'stopping: forced quit']);
  });
});

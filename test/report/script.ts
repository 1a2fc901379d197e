// A small scripted campaign, dispatched through the store, for the reporter tests:
// 2 configs × 2 cycles; one retried then failed, one skipped; services left running.
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { createStore, type Listener } from '../../source/state/store.js';
import type { Action } from '../../source/state/types.js';
import { finished, meta, metrics, planned, S, service, T0 } from '../state/fixtures.js';

export function scriptedCampaign(): Action[] {
  const m = { ...meta, configGapSeconds: 60, cycleGapSeconds: 300 };
  let t = T0;
  const at = (seconds = 0) => (t += seconds * S);
  return [
    planned(at(), undefined, m),
    { type: 'notice', at: at(), level: 'warn', message: 'schema_version 4.0.0 is newer than this tool knows' },
    { type: 'campaign/starting', at: at(), services: ['pytorch', 'vllm'] },
    { type: 'service/state', at: at(1), state: service('pytorch', { status: 'starting' }) },
    { type: 'service/state', at: at(), state: service('vllm', { status: 'starting' }) },
    { type: 'service/state', at: at(2), state: service('pytorch', { status: 'running', startedAt: t, containerId: 'c1' }) },
    { type: 'service/state', at: at(), state: service('vllm', { status: 'running', startedAt: t, containerId: 'c2' }) },
    { type: 'service/state', at: at(), state: service('vllm', { status: 'running', startedAt: t - 0, containerId: 'c2' }) },
    { type: 'campaign/started', at: at() },
    { type: 'experiment/started', at: at(), expId: '0001', attempt: 1 },
    { type: 'experiment/output', at: at(5), expId: '0001', lines: ['\u001b[32mloading model\u001b[0m', 'warmup 5/5'] },
    { type: 'tick', at: at(1) },
    finished('0001', at(179), 185 * S, 'completed', metrics(1234, 120.5, 0.0123)),
    { type: 'gap/started', at: at(), kind: 'experiment', endsAt: t + 60 * S },
    { type: 'gap/ended', at: at(60) },
    { type: 'experiment/started', at: at(), expId: '0002', attempt: 1 },
    { type: 'experiment/output', at: at(3), expId: '0002', lines: ['loading model', 'Killed'] },
    { type: 'experiment/retrying', at: at(), expId: '0002', nextAttempt: 2, reason: 'exit 137: killed', delayMs: 2 * S },
    { type: 'service/state', at: at(), state: service('vllm', { status: 'exited', lastExitCode: 137, containerId: 'c2' }) },
    { type: 'service/state', at: at(1), state: service('vllm', { status: 'running', restarts: 1, startedAt: t, containerId: 'c2' }) },
    { type: 'experiment/started', at: at(1), expId: '0002', attempt: 2 },
    { type: 'experiment/output', at: at(2), expId: '0002', lines: ['loading model', 'Traceback (most recent call last):', 'ValueError: bad dtype'] },
    { type: 'experiment/stuck', at: at(120), expId: '0002', silentForMs: 120 * S },
    finished('0002', at(1), 123 * S, 'failed', null, 'exit 1', 1),
    { type: 'notice', at: at(), level: 'info', message: 'vllm restarted after a failure (1/3)' },
    { type: 'gap/started', at: at(), kind: 'cycle', endsAt: t + 300 * S },
    { type: 'gap/ended', at: at(300) },
    { type: 'experiment/started', at: at(), expId: '0003', attempt: 1 },
    finished('0003', at(190), 190 * S, 'completed', metrics(1334, 110.5, 0.0133)),
    { type: 'gap/started', at: at(), kind: 'experiment', endsAt: t + 60 * S },
    { type: 'gap/ended', at: at(60) },
    { type: 'experiment/started', at: at(), expId: '0004', attempt: 1 },
    { type: 'campaign/pauseRequested', at: at(1), paused: true },
    finished('0004', at(9), 10 * S, 'skipped', null, 'skipped by user', null),
    { type: 'campaign/paused', at: at() },
    { type: 'campaign/resumed', at: at(30) },
    { type: 'campaign/stopping', at: at(), reason: 'tearing down' },
    { type: 'notice', at: at(), level: 'warn', message: 'auto_teardown is off: pytorch, vllm left running' },
    { type: 'campaign/finished', at: at(1), exitCode: 1, leftRunning: ['pytorch', 'vllm'] },
  ];
}

/** Runs the script through a store with `listener` subscribed. */
export function play(listener: Listener, actions: Action[] = scriptedCampaign()) {
  const store = createStore(campaignReducer, initialCampaignState());
  store.subscribe(listener);
  for (const action of actions) store.dispatch(action);
  return store;
}

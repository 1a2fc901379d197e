// The services panel says what happened to a service (issue 25, item 14): a
// restart lem-tui made itself (residual GPU memory) is not shown as a crash
// with LAST EXIT 137; a service that is starting shows no uptime (its
// startedAt is still the old container's).
import React from 'react';
import { afterEach, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import type { Action, CampaignState } from '../../source/state/types.js';
import { renderAt, stripAnsi } from './helpers.js';
import { NOW, service, T0 } from './fixtures.js';
import { slotServicesState } from './slotServiceFixtures.js';

afterEach(() => cleanup());

async function frameOf(state: CampaignState, columns = 100, rows = 30): Promise<string> {
  const r = await renderAt(<App state={state} sendCommand={() => {}} color={false} />, columns, rows);
  return stripAnsi(r.lastFrame() ?? '');
}
const rowOf = (f: string, name: string) => f.split('\n').find((l) => l.includes(`${name} `)) ?? '';

/** pytorch-gpu0 restarted by lem-tui for residual memory 20 s ago; pytorch-gpu1 killed by something else. */
function restartedState(): CampaignState {
  const actions: Action[] = [
    { type: 'service/restarting', at: NOW - 21_000, service: 'pytorch-gpu0', why: 'residual memory' },
    service(NOW - 20_500, 'pytorch-gpu0', { status: 'exited', lastExitCode: 137, startedAt: T0, restarts: 1 }),
    service(NOW - 20_000, 'pytorch-gpu0', { status: 'running', lastExitCode: 137, startedAt: NOW - 20_000, restarts: 1 }),
    service(NOW - 10_000, 'pytorch-gpu1', { status: 'exited', lastExitCode: 137, startedAt: T0 }),
    { type: 'tick', at: NOW },
  ];
  return slotServicesState(2, [], actions);
}

test('a restart of ours reads "restarted by lem-tui (residual memory)", not LAST EXIT 137; a kill of someone else reads 137', async () => {
  const f = await frameOf(restartedState());
  expect(rowOf(f, 'pytorch-gpu0')).toMatch(/pytorch-gpu0 +running +1 +20s +lem-tui +restarted by lem-tui \(residual memory\)/);
  expect(rowOf(f, 'pytorch-gpu0')).not.toContain('137');
  expect(rowOf(f, 'pytorch-gpu1')).toMatch(/pytorch-gpu1 +exited +0 +- +137/);
});

test('while an experiment runs in it, the row says how quiet it is, and LAST EXIT still says lem-tui', async () => {
  const s = slotServicesState(2, [], [
    { type: 'service/restarting', at: NOW - 21_000, service: 'pytorch-gpu0', why: 'residual memory' },
    service(NOW - 20_500, 'pytorch-gpu0', { status: 'exited', lastExitCode: 137, startedAt: T0, restarts: 1 }),
    service(NOW - 20_000, 'pytorch-gpu0', { status: 'running', lastExitCode: 137, startedAt: NOW - 20_000, restarts: 1 }),
    { type: 'experiment/started', at: NOW - 19_000, expId: '0001', attempt: 1, gpus: ['0'], slot: 0, service: 'pytorch-gpu0' },
    { type: 'tick', at: NOW },
  ]);
  expect(rowOf(await frameOf(s), 'pytorch-gpu0')).toMatch(/pytorch-gpu0 +running +1 +20s +lem-tui +last output 19 s ago/);
});

test('a service that is starting shows no uptime, not the old container’s', async () => {
  const s = slotServicesState(2, [], [
    service(NOW - 5000, 'pytorch-gpu1', { status: 'starting', startedAt: T0, restarts: 1, lastExitCode: 137 }),
    { type: 'tick', at: NOW },
  ]);
  expect(rowOf(await frameOf(s), 'pytorch-gpu1')).toMatch(/pytorch-gpu1 +\S starting +1 +- +137/);
});

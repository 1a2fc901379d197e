// Restarts lem-tui makes itself end the container with a kill (exit 137):
// once the engine said why (service/restarting), that exit is ours, not a
// crash; the next exit nobody announced is a crash again (issue 25, item 14).
import { describe, expect, test } from 'vitest';
import type { ContainerState } from '../../source/domain/containerState.js';
import { ourLastExit, SAID_FOR_MS } from '../../source/state/ourRestarts.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action, CampaignState } from '../../source/state/types.js';

const T0 = 1_700_000_000_000;

function st(at: number, patch: Partial<ContainerState>): Action {
  return {
    type: 'service/state',
    at,
    state: { service: 'pytorch-gpu0', status: 'running', restarts: 0, startedAt: T0, lastExitCode: null, containerId: 'c1', message: null, ...patch },
  };
}
const said = (at: number, why: string): Action => ({ type: 'service/restarting', at, service: 'pytorch-gpu0', why });
const play = (actions: Action[]): CampaignState => actions.reduce(campaignReducer, initialCampaignState());
const ours = (actions: Action[]) => ourLastExit(play(actions), 'pytorch-gpu0');

const up = st(T0, {});
const killed = (at: number) => st(at, { status: 'exited', lastExitCode: 137, restarts: 1 });
const back = (at: number) => st(at, { status: 'running', lastExitCode: 137, restarts: 1, startedAt: at });

describe('the last exit of a service lem-tui restarted', () => {
  test('a restart said before its kill: the 137 is ours, while it runs again too', () => {
    expect(ours([up, said(T0 + 1, 'residual memory'), killed(T0 + 2)])).toBe('restarted by lem-tui (residual memory)');
    expect(ours([up, said(T0 + 1, 'residual memory'), killed(T0 + 2), back(T0 + 3)])).toBe('restarted by lem-tui (residual memory)');
  });

  test('a kill nobody announced is a crash; so is the next one after a restart of ours', () => {
    expect(ours([up, killed(T0 + 2)])).toBeNull();
    const crashAgain = st(T0 + 9, { status: 'exited', lastExitCode: 137, restarts: 1, startedAt: T0 + 3 });
    expect(ours([up, said(T0 + 1, 'health check'), killed(T0 + 2), back(T0 + 3), crashAgain])).toBeNull();
    const crash1 = st(T0 + 9, { status: 'exited', lastExitCode: 1, restarts: 1, startedAt: T0 + 3 });
    expect(ours([up, said(T0 + 1, 'health check'), killed(T0 + 2), back(T0 + 3), crash1])).toBeNull();
  });

  test('one kill reported in steps (the exit, then its code; compose v1): the same restart, ours, and the word ends once it runs again', () => {
    const exitNoCode = st(T0 + 2, { status: 'exited', lastExitCode: null });
    const exitCode = st(T0 + 2, { status: 'exited', lastExitCode: 137, restarts: 1 });
    const starting = st(T0 + 3, { status: 'starting', lastExitCode: 137, restarts: 1 });
    const steps = [up, said(T0 + 1, 'residual memory'), exitNoCode, exitCode, starting, back(T0 + 4)];
    expect(ours(steps)).toBe('restarted by lem-tui (residual memory)');
    const crashAgain = st(T0 + 9, { status: 'exited', lastExitCode: 137, restarts: 1, startedAt: T0 + 4 });
    expect(ours([...steps, crashAgain])).toBeNull();
  });

  test('a running state seen between the word and the kill does not spend the word', () => {
    expect(ours([up, said(T0 + 1, 'cold start'), st(T0 + 1, { restarts: 1 }), killed(T0 + 2)])).toBe('restarted by lem-tui (cold start)');
  });

  test('a restart of a service already ended (no kill) ends when it runs again: its crash stays a crash, and so does the next', () => {
    const crashed = st(T0 + 2, { status: 'exited', lastExitCode: 139 });
    const restarted = st(T0 + 4, { status: 'running', lastExitCode: 139, restarts: 1, startedAt: T0 + 4 });
    expect(ours([up, crashed, said(T0 + 3, 'after a failure'), restarted])).toBeNull();
    expect(ours([up, crashed, said(T0 + 3, 'after a failure'), restarted, killed(T0 + 9)])).toBeNull();
  });

  test('a word older than a restart takes (one that failed before its kill) does not make a later crash ours', () => {
    expect(ours([up, said(T0 + 1, 'r pressed'), killed(T0 + 1 + SAID_FOR_MS + 1)])).toBeNull();
    expect(ours([up, said(T0 + 1, 'r pressed'), killed(T0 + 1 + SAID_FOR_MS)])).toBe('restarted by lem-tui (r pressed)');
  });

  test('the word is per service: another service that dies is a crash', () => {
    const other: Action = { type: 'service/state', at: T0 + 2, state: { service: 'pytorch-gpu1', status: 'exited', restarts: 0, startedAt: T0, lastExitCode: 137, containerId: 'c2', message: null } };
    const s = play([up, said(T0 + 1, 'residual memory'), other]);
    expect(ourLastExit(s, 'pytorch-gpu1')).toBeNull();
    expect(s.ourRestarts['pytorch-gpu0']?.pending).toBe('residual memory');
  });
});

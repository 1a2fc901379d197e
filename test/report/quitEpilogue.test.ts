import { describe, expect, it } from 'vitest';
import { quitEpilogue } from '../../source/report/quitEpilogue.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action } from '../../source/state/types.js';
import { finished, planned, S, T0 } from '../state/fixtures.js';

const run = (actions: Action[]) => actions.reduce(campaignReducer, initialCampaignState());

describe('quitEpilogue: the lines under the last frame of a stopped run', () => {
  it('says it stopped and why, what completed, where the manifest is, how to go on and the exit code', () => {
    const state = run([
      planned(),
      { type: 'campaign/started', at: T0 },
      finished('0001', T0 + 2 * S, S),
      { type: 'campaign/stopping', at: T0 + 3 * S, reason: 'quit requested' },
      { type: 'campaign/finished', at: T0 + 4 * S, exitCode: 130, leftRunning: [] },
    ]);
    const lines = quitEpilogue(state, ['lem-tui', 'my campaign.yaml', '--resume'], 130);
    expect(lines[0]).toBe(`lem-tui: stopped (quit requested): 1 of ${state.experiments.length} completed, 0 failed`);
    expect(lines[1]).toBe(`manifest saved: ${state.meta!.manifestPath}`);
    expect(lines[2]).toBe("continue with: lem-tui 'my campaign.yaml' --resume");
    expect(lines[3]).toBe('exit code 130');
  });

  it('names what was left running', () => {
    const state = run([planned(), { type: 'campaign/finished', at: T0, exitCode: 130, leftRunning: ['lem-x-pytorch-1'] }]);
    expect(quitEpilogue(state, ['lem-tui', 'c.yaml', '--resume'], 130)[0]).toContain('left running: lem-x-pytorch-1');
  });
});

// Scenes with --dispatch slurm: the jobs panel stands where the services
// panel does. Built through the reducer like every other scene.
import type { Action, CampaignMeta, CampaignState } from '../../../source/state/types.js';
import { jobAction, running, scheduler } from '../../state/jobFixtures.js';
import { id, meta, MIN, NOW, planned, play, plannedExperiments, runOne, T0 } from '../fixtures.js';

export const slurmMeta: CampaignMeta = {
  ...meta,
  strategy: 'ephemeral',
  dispatch: 'local',
  dispatchReason: '--dispatch slurm',
  composeProject: null,
  commands: undefined,
  slots: 4,
  scheduler,
};

/**
 * Ten minutes in: job 11 (0001) timed out, job 12 (0002) completed, jobs 13
 * and 14 (0003, 0004) run on node vm, 15 and 16 (0005, 0006) wait.
 */
export function slurmState(extra: Action[] = []): CampaignState {
  return play([
    { ...planned(plannedExperiments(), slurmMeta)[0]!, services: [] } as Action,
    { type: 'campaign/starting', at: T0, services: [] },
    { type: 'campaign/started', at: T0 },
    jobAction(T0, 11, id(0), running('vm', '0', 0)),
    ...runOne(0, T0, 3 * MIN, { status: 'failed', exitCode: null, reason: 'Slurm: TIMEOUT' }),
    jobAction(T0 + 3 * MIN, 11, id(0), { state: 'TIMEOUT', reason: 'TimeLimit', node: 'vm', gpus: '0', elapsedS: 180 }),
    jobAction(T0, 12, id(1), running('vm', '1', 0)),
    ...runOne(1, T0, 4 * MIN),
    jobAction(T0 + 4 * MIN, 12, id(1), { state: 'COMPLETED', reason: null, node: 'vm', gpus: '1', elapsedS: 240 }),
    jobAction(NOW - 125_000, 13, id(2), running('vm', '1', 125)),
    { type: 'experiment/started', at: NOW - 125_000, expId: id(2), attempt: 1 },
    jobAction(NOW - 30_000, 14, id(3), running('vm', '0', 30)),
    { type: 'experiment/started', at: NOW - 30_000, expId: id(3), attempt: 1 },
    jobAction(NOW - 30_000, 15, id(4)),
    jobAction(NOW - 30_000, 16, id(5), { reason: 'Priority' }),
    { type: 'tick', at: NOW },
    ...extra,
  ]);
}

// The teardown dialog's count with Slurm: from squeue's last answer, or,
// when none names the jobs yet (submitted under 2 s ago), from the running experiments.
import { describe, expect, it } from 'vitest';
import { cancelJobsText } from '../../../source/ui/jobs/jobDialogs.js';
import { slurmState } from './slurmFixtures.js';
import { id, NOW } from '../fixtures.js';

describe('cancelJobsText', () => {
  it('counts the jobs Slurm reported', () => {
    expect(cancelJobsText(slurmState(), 80).title).toBe('Cancel every job of the campaign (2 running, 2 pending)?');
  });

  it('jobs just submitted that no squeue has named yet: the experiments that run', () => {
    const ended = [13, 14, 15, 16].map((n, i) => ({ type: 'job/state' as const, at: NOW, job: { jobId: String(n), name: `x-${id(i + 2)}`, expId: id(i + 2), state: 'COMPLETED', reason: null, node: 'vm', gpus: null, elapsedS: 1 } }));
    const state = slurmState([...ended, { type: 'experiment/started', at: NOW, expId: id(6), attempt: 1 }]);
    expect(state.running.length).toBeGreaterThan(0);
    expect(cancelJobsText(state, 80).title).toBe(`Cancel every job of the campaign (${state.running.length} submitted)?`);
  });
});

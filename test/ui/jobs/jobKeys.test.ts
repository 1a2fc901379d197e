// The jobs panel's keys as pure functions: what a key does (hint, dialog,
// commands) from the selected job's id and the state, knowing nothing of the
// view's own state (uiState.ts puts the result in it).
import { describe, expect, it } from 'vitest';
import { moveJobSelection, resubmitConfirmed, resubmitKey, selectedJob } from '../../../source/ui/jobs/jobKeys.js';
import { jobAction, running } from '../../state/jobFixtures.js';
import { id, NOW } from '../fixtures.js';
import { slurmState } from './slurmFixtures.js';

describe('jobs panel keys', () => {
  it('nothing chosen, or a job no longer a row: the first row', () => {
    expect(selectedJob(null, slurmState())?.jobId).toBe('13');
    expect(selectedJob('999', slurmState())?.jobId).toBe('13');
    expect(selectedJob('15', slurmState())?.jobId).toBe('15');
  });

  it('↑/↓ move within the rows and stop at both ends', () => {
    expect(moveJobSelection(null, slurmState(), 1)).toBe('14');
    expect(moveJobSelection('13', slurmState(), -1)).toBe('13');
    expect(moveJobSelection('11', slurmState(), 1)).toBe('11');
  });

  it('r: a queued job is resubmitted at once, a running one asks first, an ended one gives a hint', () => {
    expect(resubmitKey('15', slurmState())).toEqual({ hint: null, dialog: null, commands: [{ type: 'resubmitJob', expId: id(4) }] });
    expect(resubmitKey('13', slurmState())).toEqual({ hint: null, dialog: { kind: 'resubmit', jobId: '13', expId: id(2) }, commands: [] });
    expect(resubmitKey('11', slurmState())).toEqual({ hint: 'Job 11 has ended (TIMEOUT): nothing to resubmit', dialog: null, commands: [] });
  });

  it('y in the dialog: resubmits while the job is active, else says it ended; the dialog closes either way', () => {
    const dialog = { kind: 'resubmit' as const, jobId: '13', expId: id(2) };
    expect(resubmitConfirmed(slurmState(), dialog)).toEqual({ hint: null, dialog: null, commands: [{ type: 'resubmitJob', expId: id(2) }] });
    const ended = slurmState([jobAction(NOW + 1000, 13, id(2), { ...running(), state: 'COMPLETED' })]);
    expect(resubmitConfirmed(ended, dialog)).toEqual({ hint: 'Job 13 has ended (COMPLETED): nothing to resubmit', dialog: null, commands: [] });
  });
});

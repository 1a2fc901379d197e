import { describe, expect, it } from 'vitest';
import { isActiveJob } from '../../source/domain/slurmJob.js';
import { ENDED_JOBS_KEPT } from '../../source/state/jobReducer.js';
import {
  jobStateText,
  selectActiveJobCounts,
  selectJobCounts,
  selectJobOf,
  selectJobRows,
  selectJobSummary,
  selectRunningJobs,
} from '../../source/state/jobs.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { selectEta } from '../../source/state/selectors.js';
import type { Action, CampaignMeta, CampaignState } from '../../source/state/types.js';
import { experiments, finished, meta, planned, S, T0 } from './fixtures.js';
import { job, jobAction, running, scheduler } from './jobFixtures.js';

const run = (actions: Action[], from: CampaignState = initialCampaignState()) => actions.reduce(campaignReducer, from);
const ids = (s: CampaignState) => selectJobRows(s).map((j) => j.jobId);

describe('job/state in the reducer', () => {
  it('keeps a job as last reported, in submission order', () => {
    const s = run([jobAction(T0, 11, '0001'), jobAction(T0, 12, '0002'), jobAction(T0 + S, 11, '0001', running())]);
    expect(s.jobOrder).toEqual(['11', '12']);
    expect(s.jobs['11']).toEqual(job(11, '0001', running()));
    expect(s.now).toBe(T0 + S);
  });

  it('stays bounded over a 10,000-experiment campaign: every active job and the last 20 ended ones', () => {
    let s = initialCampaignState();
    let most = 0;
    // Four at once: each experiment's job is submitted, runs, and ends three submissions later.
    for (let i = 1; i <= 10_000; i++) {
      const expId = String(i).padStart(5, '0');
      s = campaignReducer(s, jobAction(T0 + i, i, expId));
      s = campaignReducer(s, jobAction(T0 + i, i, expId, running()));
      if (i > 3) s = campaignReducer(s, jobAction(T0 + i, i - 3, String(i - 3).padStart(5, '0'), { state: i % 7 ? 'COMPLETED' : 'FAILED', reason: null }));
      most = Math.max(most, s.jobOrder.length, Object.keys(s.jobs).length);
    }
    expect(most).toBeLessThanOrEqual(4 + ENDED_JOBS_KEPT);
    expect(s.jobOrder).toHaveLength(3 + ENDED_JOBS_KEPT);
    expect(Object.keys(s.jobs).sort()).toEqual([...s.jobOrder].sort());
    // The ended ones kept are the latest: 9978..9997; the three still running follow.
    expect(s.jobOrder[0]).toBe('9978');
    expect(s.jobOrder.slice(-3)).toEqual(['9998', '9999', '10000']);
    expect(s.jobOrder.filter((id) => isActiveJob(s.jobs[id]!.state))).toEqual(['9998', '9999', '10000']);
  });

  it('never drops an active job, however many there are', () => {
    const pending = Array.from({ length: 30 }, (_, i) => jobAction(T0, 100 + i, `p${i}`));
    const ended = Array.from({ length: 25 }, (_, i) => jobAction(T0, i + 1, `e${i}`, { state: 'COMPLETED', reason: null }));
    const s = run([...ended, ...pending]);
    expect(s.jobOrder).toHaveLength(30 + ENDED_JOBS_KEPT);
    expect(s.jobOrder.slice(0, 1)).toEqual(['6']); // 1..5 were the oldest ended
  });

  it('a resubmitted experiment has two rows: the old job CANCELLED, the new one pending', () => {
    const s = run([
      jobAction(T0, 12, '0003', running()),
      jobAction(T0 + S, 12, '0003', { state: 'CANCELLED', reason: null, node: 'vm', gpus: '1' }),
      jobAction(T0 + S, 13, '0003'),
    ]);
    expect(s.jobOrder).toEqual(['12', '13']);
    expect(s.jobs['12']!.state).toBe('CANCELLED');
    expect(ids(s)).toEqual(['13', '12']); // active first
    expect(selectJobOf(s, '0003')!.jobId).toBe('13');
  });

  it('a dropped job reported again takes its old place and is dropped again, not a newer one', () => {
    const ended = Array.from({ length: ENDED_JOBS_KEPT + 1 }, (_, i) => jobAction(T0, i + 1, `e${i}`, { state: 'COMPLETED', reason: null }));
    let s = run(ended);
    expect(s.jobOrder[0]).toBe('2');
    s = run([jobAction(T0 + S, 1, 'e0', { state: 'COMPLETED', reason: null })], s);
    expect(s.jobOrder[0]).toBe('2');
    expect(s.jobOrder).toHaveLength(ENDED_JOBS_KEPT);
    expect('1' in s.jobs).toBe(false);
  });

  it('a new plan starts without jobs', () => {
    const s = run([jobAction(T0, 1, '0001'), planned()]);
    expect(s.jobs).toEqual({});
    expect(s.jobOrder).toEqual([]);
  });
});

describe('job selectors', () => {
  const mixed = () =>
    run([
      jobAction(T0, 1, '0001', { state: 'COMPLETED', reason: null }),
      jobAction(T0, 2, '0002', running('vm', '0')),
      jobAction(T0, 3, '0003', running('vm', '1')),
      jobAction(T0, 4, '0004'),
      jobAction(T0, 5, '0005'),
      jobAction(T0, 6, '0006', { reason: 'Priority' }),
      jobAction(T0, 7, '0007'),
      jobAction(T0, 8, '0008', { state: 'TIMEOUT', reason: 'TimeLimit' }),
    ]);

  it('counts by state', () => {
    expect(selectJobCounts(mixed())).toEqual({ COMPLETED: 1, RUNNING: 2, PENDING: 4, TIMEOUT: 1 });
    expect(selectRunningJobs(mixed())).toBe(2);
    expect(selectActiveJobCounts(mixed())).toEqual({ running: 2, pending: 4 });
  });

  it('summarises the active jobs in one line, pending reasons grouped', () => {
    expect(selectJobSummary(mixed())).toBe('2 running · 4 pending (3 Resources, 1 Priority)');
    const same = run([jobAction(T0, 2, 'a', running()), jobAction(T0, 3, 'b'), jobAction(T0, 4, 'c')]);
    expect(selectJobSummary(same)).toBe('1 running · 2 pending (Resources)');
    // Slurm's "None" says nothing: left out, and the others keep their count.
    const none = run([jobAction(T0, 3, 'b', { reason: 'None' }), jobAction(T0, 4, 'c', { reason: null }), jobAction(T0, 5, 'd')]);
    expect(selectJobSummary(none)).toBe('3 pending (1 Resources)');
    expect(selectJobSummary(run([jobAction(T0, 3, 'b', { reason: null })]))).toBe('1 pending');
    expect(selectJobSummary(run([jobAction(T0, 3, 'b', { state: 'COMPLETING', reason: null })]))).toBe('1 completing');
    expect(selectJobSummary(initialCampaignState())).toBe('no jobs yet');
    expect(selectJobSummary(run([jobAction(T0, 1, 'a', { state: 'COMPLETED', reason: null })]))).toBe('no active jobs');
  });

  it('rows: active jobs in submission order, then the ended ones latest first', () => {
    expect(ids(mixed())).toEqual(['2', '3', '4', '5', '6', '7', '8', '1']);
  });

  it('a state reads with its reason; Slurm\'s None is no reason', () => {
    expect(jobStateText(job(1, 'a'))).toBe('PENDING (Resources)');
    expect(jobStateText(job(1, 'a', running()))).toBe('RUNNING');
    expect(jobStateText(job(1, 'a', { state: 'RUNNING', reason: 'None' }))).toBe('RUNNING');
    expect(jobStateText(job(1, 'a', { state: 'TIMEOUT', reason: 'TimeLimit' }))).toBe('TIMEOUT (TimeLimit)');
  });
});

describe('selectEta with a Slurm scheduler', () => {
  // 6 experiments of 100 s: two done, four to run. slots says 4; Slurm runs what it runs.
  const base = (m: CampaignMeta = { ...meta, scheduler, slots: 4 }) => [
    planned(T0, experiments(3), m),
    finished('0001', T0 + 100 * S, 100 * S),
    finished('0002', T0 + 100 * S, 100 * S),
  ];

  it('divides the work left by the jobs RUNNING now, not by the slots', () => {
    const twoRunning = run([...base(), jobAction(T0 + 100 * S, 3, '0003', running()), jobAction(T0 + 100 * S, 4, '0004', running()), jobAction(T0 + 100 * S, 5, '0005'), jobAction(T0 + 100 * S, 6, '0006')]);
    expect(selectEta(twoRunning)).toBe((4 * 100 * S) / 2);
    // The same state without a scheduler shares the work over the 4 slots.
    const slotsOnly = run(base({ ...meta, slots: 4 }));
    expect(selectEta(slotsOnly)).toBe((4 * 100 * S) / 4);
  });

  it('counts at least one when nothing runs (all pending)', () => {
    const queued = run([...base(), jobAction(T0 + 100 * S, 3, '0003'), jobAction(T0 + 100 * S, 4, '0004')]);
    expect(selectEta(queued)).toBe(4 * 100 * S);
  });
});

// --dispatch slurm in the plain and NDJSON outputs: a line (an event) when a
// job's state, reason, node or GPUs change, never for its time alone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNdjsonReporter } from '../../source/report/ndjson.js';
import { createPlainReporter } from '../../source/report/plain.js';
import { ENDED_JOBS_KEPT } from '../../source/state/jobReducer.js';
import type { Action } from '../../source/state/types.js';
import { meta as plainMeta, planned, S, T0 } from '../state/fixtures.js';
import { jobAction, running, scheduler } from '../state/jobFixtures.js';
import { play } from './script.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const slurmMeta = { ...plainMeta, strategy: 'ephemeral' as const, dispatch: 'local' as const, composeProject: null, scheduler };

/** Job 12 of 0003: queued for resources, then priority, placed, its time ticking, timed out; 0004 resubmitted. */
function jobScript(): Action[] {
  return [
    planned(T0, undefined, slurmMeta),
    jobAction(T0 + S, 12, '0003'),
    jobAction(T0 + 2 * S, 12, '0003', { elapsedS: 0 }), // time only: no news
    jobAction(T0 + 3 * S, 12, '0003', { reason: 'Priority' }),
    jobAction(T0 + 4 * S, 12, '0003', running('vm', null, 0)),
    jobAction(T0 + 5 * S, 12, '0003', running('vm', '1', 1)),
    jobAction(T0 + 65 * S, 12, '0003', running('vm', '1', 61)), // time only
    jobAction(T0 + 99 * S, 12, '0003', { state: 'TIMEOUT', reason: 'TimeLimit', node: 'vm', gpus: '1', elapsedS: 95 }),
    jobAction(T0 + 100 * S, 13, '0004', running('vm', '0,1', 5)),
    jobAction(T0 + 101 * S, 13, '0004', { state: 'CANCELLED', reason: null, node: 'vm', gpus: '0,1', elapsedS: 6 }),
    jobAction(T0 + 101 * S, 14, '0004'),
  ];
}

function plain(actions: Action[] = jobScript()): string[] {
  const out: string[] = [];
  play(createPlainReporter((line) => out.push(line)), actions);
  return out;
}

function ndjson(actions: Action[] = jobScript()): Record<string, unknown>[] {
  const out: string[] = [];
  play(createNdjsonReporter((line) => out.push(line)), actions);
  return out.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Slurm jobs in the plain output', () => {
  it('prints a line per change of state, reason, node or GPUs; the name when first seen', () => {
    expect(plain()).toEqual([
      'campaign backend-comparison (id a1b2c3d4) · 4 experiments · 2 cycles, interleaved · strategy ephemeral · dispatch slurm (partition debug, gpu:1, up to 4 jobs at once)',
      'job 12 lem-a1b2c3d4-camp-0003 PENDING (Resources)',
      'job 12 PENDING (Priority)',
      'job 12 RUNNING on node vm',
      'job 12 RUNNING on node vm, GPU 1',
      'job 12 TIMEOUT (TimeLimit)',
      'job 13 lem-a1b2c3d4-camp-0004 RUNNING on node vm, GPUs 0,1',
      'job 13 CANCELLED',
      'job 14 lem-a1b2c3d4-camp-0004 PENDING (Resources)',
    ]);
  });

  it('an old job the state no longer keeps, reported again, prints nothing', () => {
    const ended = Array.from({ length: ENDED_JOBS_KEPT + 1 }, (_, i) => jobAction(T0 + i, i + 1, `e${i}`, { state: 'COMPLETED', reason: null }));
    const lines = plain([planned(T0, undefined, slurmMeta), ...ended, jobAction(T0 + 99 * S, 1, 'e0', { state: 'COMPLETED', reason: null })]);
    expect(lines.filter((l) => l.startsWith('job 1 '))).toEqual(['job 1 lem-a1b2c3d4-camp-e0 COMPLETED']);
  });
});

describe('Slurm jobs in the NDJSON output', () => {
  it('emits job.state with the job fields on the same changes', () => {
    const jobs = ndjson().filter((e) => e.type === 'job.state');
    expect(jobs.map((e) => [e.jobId, e.state, e.reason, e.node, e.gpus])).toEqual([
      ['12', 'PENDING', 'Resources', null, null],
      ['12', 'PENDING', 'Priority', null, null],
      ['12', 'RUNNING', null, 'vm', null],
      ['12', 'RUNNING', null, 'vm', '1'],
      ['12', 'TIMEOUT', 'TimeLimit', 'vm', '1'],
      ['13', 'RUNNING', null, 'vm', '0,1'],
      ['13', 'CANCELLED', null, 'vm', '0,1'],
      ['14', 'PENDING', 'Resources', null, null],
    ]);
    expect(jobs[4]).toEqual({
      v: 1,
      type: 'job.state',
      at: new Date(T0 + 99 * S).toISOString(),
      jobId: '12',
      name: 'lem-a1b2c3d4-camp-0003',
      expId: '0003',
      state: 'TIMEOUT',
      reason: 'TimeLimit',
      node: 'vm',
      gpus: '1',
      elapsedS: 95,
    });
  });

  it('campaign.started carries the scheduler', () => {
    const started = ndjson().find((e) => e.type === 'campaign.started')!;
    expect(started.scheduler).toEqual(scheduler);
  });
});

it('job.state is documented where the events are: the README table and the reporter', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith('| `job.state` |'));
  expect(row).toBeDefined();
  for (const field of ['jobId', 'name', 'expId', 'state', 'reason', 'node', 'gpus', 'elapsedS']) expect(row).toContain(field);
  const source = fs.readFileSync(path.join(root, 'source/report/ndjson.ts'), 'utf8');
  expect(source).toContain('job.state            --dispatch slurm: jobId, name, expId, state');
});

// What `srun --test-only` printed on the test cluster (Slurm 22.05, Debian)
// for each refusal, read back as Slurm's own reason; the argv it is given.
import { describe, expect, it } from 'vitest';
import { mayBeOnlyNow, nodeTakesJobs, testOnlyArgv, testOnlyRefusal } from '../../../source/io/slurm/testOnly.js';

describe('srun --test-only', () => {
  it('asks with the request every job of the campaign makes, and runs nothing', () => {
    const slurm = { partition: 'debug', gres: 'gpu:1', maxJobs: 4, timeLimit: '30', sbatchArgs: ['--account', 'lab'], container: 'none' as const };
    expect(testOnlyArgv(slurm, 'lem-x-preflight')).toEqual([
      'srun', '--test-only', '--job-name=lem-x-preflight', '--ntasks=1', '--partition=debug', '--gres=gpu:1', '--time=30', '--account', 'lab', 'true',
    ]);
  });

  it.each([
    ['allocation failure: Requested node configuration is not available', 'Requested node configuration is not available'],
    ['srun: error: Invalid generic resource (gres) specification\nallocation failure: No error', 'Invalid generic resource (gres) specification'],
    ['srun: error: Invalid generic resource (gres) specification\nallocation failure: Resource temporarily unavailable', 'Invalid generic resource (gres) specification'],
    ["srun: unrecognized option '--no-such-option'\nTry \"srun --help\" for more information", "unrecognized option '--no-such-option'"],
    ['srun: error: invalid partition specified: nope\nallocation failure: Invalid partition name specified', 'invalid partition specified: nope'],
    ['', 'no reason given'],
  ])('%j → %j', (printed, reason) => {
    expect(testOnlyRefusal(printed)).toBe(reason);
  });

  it('"not available" may mean only "not now"; a gres or an option srun refuses never works', () => {
    expect(mayBeOnlyNow('Requested node configuration is not available')).toBe(true);
    expect(mayBeOnlyNow('Invalid generic resource (gres) specification')).toBe(false);
    expect(mayBeOnlyNow("unrecognized option '--no-such-option'")).toBe(false);
  });

  it('node states that take jobs', () => {
    for (const state of ['idle', 'mixed', 'allocated', 'completing', 'idle~']) expect(nodeTakesJobs(state), state).toBe(true);
    for (const state of ['drained', 'draining', 'down', 'down*', 'idle*', 'fail', 'maint', 'reserved']) expect(nodeTakesJobs(state), state).toBe(false);
  });
});

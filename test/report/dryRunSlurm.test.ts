// The --dry-run line of the resolved Slurm settings (shown with --dispatch slurm only).
import { describe, expect, it } from 'vitest';
import { slurmLine } from '../../source/report/dryRun.js';

describe('slurmLine', () => {
  it('names every setting, the unset ones by what Slurm then does', () => {
    expect(slurmLine({ partition: 'debug', gres: 'gpu:1', maxJobs: 4, timeLimit: '1:00:00', sbatchArgs: [], container: 'none' })).toBe(
      'Slurm: partition debug, gres gpu:1, up to 4 jobs at once, time limit 1:00:00, container none',
    );
    expect(slurmLine({ partition: null, gres: '', maxJobs: 1, timeLimit: null, sbatchArgs: ['--qos', 'a b'], container: 'compose' })).toBe(
      "Slurm: the cluster's default partition, no --gres, up to 1 job at once, the partition's time limit, container compose, extra arguments --qos 'a b'",
    );
  });
});

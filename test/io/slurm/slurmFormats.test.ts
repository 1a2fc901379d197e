// What lem-tui reads of Slurm (squeue rows, scontrol show job -o) and what
// it submits (srun argv), against output captured from Slurm 22.05 on the
// test cluster (scripts/start-slurm.sh).
import { describe, expect, it } from 'vitest';
import { parseQueue, parseSlurmDuration } from '../../../source/io/slurm/squeueFormat.js';
import { parseJobDetail } from '../../../source/io/slurm/scontrolJob.js';
import { parseSacctJob } from '../../../source/io/slurm/sacctJob.js';
import { jobEnd } from '../../../source/io/slurm/jobEnd.js';
import { composeJobCommand, srunArgv } from '../../../source/io/slurm/srunArgv.js';
import { expIdOfJob, slurmJobName } from '../../../source/io/slurm/jobName.js';
import type { SlurmSettings } from '../../../source/config/types.js';

// scontrol show job -d -o 2 on the test cluster, a job running on GPU 0.
const RUNNING =
  'JobId=2 JobName=lem-x-0001 UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=0 Reboot=0 ExitCode=0:0 DerivedExitCode=0:0 RunTime=00:00:02 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-02T18:28:57 EligibleTime=2026-12-02T18:28:57 AccrueTime=Unknown StartTime=2026-12-02T18:28:57 EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-02T18:28:57 Scheduler=Main Partition=debug AllocNode:Sid=localhost:1181 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* JOB_GRES=gpu:1   Nodes=vm CPU_IDs=0 Mem=0 GRES=gpu:1(IDX:0) MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=bash WorkDir=/tmp Power= TresPerNode=gres:gpu:1 ';

const SLURM: SlurmSettings = { partition: null, gres: 'gpu:1', maxJobs: 4, timeLimit: null, sbatchArgs: [], container: 'none' };

describe('squeue rows', () => {
  it('reads id, name, state, reason, node and time used; None and an empty node are null', () => {
    const rows = parseQueue('14|lem-abc-0001|RUNNING|None|vm|0:05\n16|lem-abc-0003|PENDING|Resources||0:00\nsqueue: warning: something\n');
    expect(rows).toEqual([
      { jobId: '14', name: 'lem-abc-0001', state: 'RUNNING', reason: null, node: 'vm', elapsedS: 5 },
      { jobId: '16', name: 'lem-abc-0003', state: 'PENDING', reason: 'Resources', node: null, elapsedS: 0 },
    ]);
  });

  it('reads every elapsed form Slurm prints', () => {
    expect(parseSlurmDuration('0:05')).toBe(5);
    expect(parseSlurmDuration('1:02:03')).toBe(3723);
    expect(parseSlurmDuration('2-01:00:00')).toBe(2 * 86_400 + 3600);
    expect(parseSlurmDuration('00:00:02')).toBe(2);
    expect(parseSlurmDuration('INVALID')).toBeNull();
  });
});

describe('scontrol show job -o', () => {
  it('reads the state, node and the GPU index Slurm gave the job', () => {
    expect(parseJobDetail(RUNNING)).toMatchObject({ jobId: '2', name: 'lem-x-0001', state: 'RUNNING', reason: null, node: 'vm', gpus: '0', exitCode: 0, timeLimit: 'UNLIMITED' });
  });

  it('a timed-out job: its state, reason and exit code; several GPU indexes', () => {
    const ended = RUNNING.replace('JobState=RUNNING Reason=None', 'JobState=TIMEOUT Reason=TimeLimit')
      .replace('ExitCode=0:0', 'ExitCode=0:15')
      .replace('GRES=gpu:1(IDX:0)', 'GRES=gpu:a100:2(IDX:0-1)');
    expect(parseJobDetail(ended)).toMatchObject({ state: 'TIMEOUT', reason: 'TimeLimit', gpus: '0-1', exitCode: 0, exitSignal: 15 });
  });

  it('"slurm_load_jobs error: Invalid job id specified": null', () => {
    expect(parseJobDetail('slurm_load_jobs error: Invalid job id specified')).toBeNull();
  });
});

describe('sacct -X -n -P (accounting, once slurmctld forgot the job)', () => {
  it('reads the state word of "CANCELLED by 1000", the exit code and the node', () => {
    expect(parseSacctJob('149|lem-x-nf|CANCELLED by 1000|0:15|gpu-node-3|01:00:00\n')).toMatchObject({
      jobId: '149', name: 'lem-x-nf', state: 'CANCELLED', exitCode: 0, exitSignal: 15, node: 'gpu-node-3', timeLimit: '01:00:00',
    });
    expect(parseSacctJob('150|n|TIMEOUT|0:0|None assigned|00:01:00')).toMatchObject({ state: 'TIMEOUT', node: null });
  });

  it('accounting off or the job unknown: null', () => {
    expect(parseSacctJob('Slurm accounting storage is disabled')).toBeNull();
    expect(parseSacctJob('')).toBeNull();
  });
});

describe('why a job ended', () => {
  const detail = (state: string, reason = 'None') => parseJobDetail(RUNNING.replace('JobState=RUNNING Reason=None', `JobState=${state} Reason=${reason}`));

  it('TIMEOUT, an outside CANCELLED, NODE_FAIL and PREEMPTED are Slurm\'s doing: retryable, with a reason', () => {
    expect(jobEnd('2', detail('TIMEOUT', 'TimeLimit'), [], null)).toEqual({ state: 'TIMEOUT', reason: 'Slurm ended job 2 at its time limit (TIMEOUT, UNLIMITED)', retryable: true });
    expect(jobEnd('2', detail('CANCELLED'), [], null)).toMatchObject({ reason: 'job 2 was cancelled outside lem-tui (CANCELLED)', retryable: true });
    expect(jobEnd('2', detail('NODE_FAIL'), [], null)).toMatchObject({ reason: 'job 2 lost its node vm (NODE_FAIL)', retryable: true });
    expect(jobEnd('2', detail('PREEMPTED'), [], null)).toMatchObject({ retryable: true });
  });

  it('our own cancel: a quit says nothing more; a resubmit says so and is retried', () => {
    expect(jobEnd('2', detail('CANCELLED'), [], 'quit')).toEqual({ state: 'CANCELLED', reason: null, retryable: false });
    expect(jobEnd('2', detail('CANCELLED'), [], 'resubmit')).toMatchObject({ reason: 'job 2 cancelled to resubmit it (r)', retryable: true });
  });

  it('the harness failed (FAILED, COMPLETED): its exit code says it all', () => {
    expect(jobEnd('2', detail('FAILED', 'NonZeroExitCode'), [], null)).toEqual({ state: 'FAILED', reason: null, retryable: false });
  });

  it('Slurm has not settled the job yet (RUNNING, COMPLETING) when srun returns: slurmstepd\'s line tells', () => {
    const line = 'slurmstepd-vm: error: *** STEP 5.0 ON vm CANCELLED AT 2026-12-02T18:31:03 DUE TO TIME LIMIT ***';
    expect(jobEnd('5', detail('COMPLETING'), ['x', line], null)).toMatchObject({ state: 'TIMEOUT', reason: expect.stringMatching(/^Slurm ended job 5 at its time limit/), retryable: true });
    expect(jobEnd('5', detail('RUNNING'), [line], null)).toMatchObject({ state: 'TIMEOUT', retryable: true });
    expect(jobEnd('5', detail('COMPLETING'), ['x'], null)).toEqual({ state: 'COMPLETING', reason: null, retryable: false });
  });

  it('Slurm forgot the job: slurmstepd\'s line in the output tells', () => {
    const line = 'slurmstepd-vm: error: *** STEP 5.0 ON vm CANCELLED AT 2026-12-02T18:31:03 DUE TO TIME LIMIT ***';
    expect(jobEnd('5', null, ['x', line], null)).toMatchObject({ state: 'TIMEOUT', retryable: true });
    expect(jobEnd('5', null, ['slurmstepd-vm: error: *** JOB 5 ON vm CANCELLED AT 2026-12-02T18:31:03 ***'], null)).toMatchObject({ state: 'CANCELLED' });
    expect(jobEnd(null, null, [], null)).toEqual({ state: null, reason: null, retryable: false });
    // srun's own words after a node failure (and it exits 0).
    expect(jobEnd('149', null, ['srun: error: Node failure on vm', 'srun: Job step aborted'], null)).toMatchObject({ state: 'NODE_FAIL', retryable: true });
  });
});

describe('srun argv and job names', () => {
  it('names the job after the project and experiment; only what is set is passed', () => {
    expect(srunArgv(SLURM, 'lem-abc-k1-0001', ['lem', 'experiment', 'c.yaml'])).toEqual([
      'srun', '--job-name=lem-abc-k1-0001', '--ntasks=1', '--gres=gpu:1', 'lem', 'experiment', 'c.yaml',
    ]);
    const full = { ...SLURM, partition: 'gpu', gres: '', timeLimit: '1:00:00', sbatchArgs: ['--account', 'lab 1'] };
    expect(srunArgv(full, 'n', ['lem'])).toEqual(['srun', '--job-name=n', '--ntasks=1', '--partition=gpu', '--time=1:00:00', '--account', 'lab 1', 'lem']);
  });

  it('finds the experiment of a job of this campaign, and nothing in another campaign\'s', () => {
    const name = slurmJobName('lem-abc-k1', '0007');
    expect(expIdOfJob('lem-abc-k1', name)).toBe('0007');
    expect(expIdOfJob('lem-abc-k2', name)).toBeNull();
    expect(expIdOfJob('lem-abc-k1', 'lem-abc-k1-')).toBeNull();
  });

  it('container: compose wraps compose run in sh with the engine, the container name and the stop grace', () => {
    const argv = composeJobCommand('docker', 'lem-abc-run-0001-1', 10, ['docker', 'compose', 'run', '--rm']);
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv.slice(3)).toEqual(['lem-tui-job', 'docker', 'lem-abc-run-0001-1', '10', 'docker', 'compose', 'run', '--rm']);
    expect(argv[2]).toContain('SLURM_STEP_GPUS');
    expect(argv[2]).toContain('trap stop TERM INT HUP');
  });
});

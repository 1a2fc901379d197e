// The campaign's Slurm request, tried before the first job: one
// `srun --test-only` (testOnly.ts), started beside the other preflight
// checks. A refusal that can only mean "never" (a gres the cluster lacks, an
// option srun does not know, more than any node has) is exit 2 with Slurm's
// own reason and where each part of the request was set; one that may mean
// "not now" (its nodes are down or drained) is a note: the jobs wait.
import type { RunSettings } from '../../config/types.js';
import { settingLabel, type SettingPlace } from '../../config/settingPlaces.js';
import { EnvironmentError } from '../../domain/environmentError.js';
import { mayBeOnlyNow, nodeTakesJobs, testOnlyArgv, testOnlyRefusal } from './testOnly.js';
import { capture, type CaptureResult } from '../process/process.js';

export type SlurmRequest = Pick<RunSettings, 'slurm' | 'places'> & { jobName: string };

/** Starts the test; its answer is judged by `judgeRequest` once the partition is known to exist. */
export function testRequest(request: SlurmRequest, options: { signal: AbortSignal; timeoutMs: number }): Promise<CaptureResult> {
  return capture(testOnlyArgv(request.slurm, request.jobName), options);
}

/** Throws for a request Slurm will never take; returns the notes of one it cannot take now. */
export async function judgeRequest(
  request: SlurmRequest,
  answer: CaptureResult,
  partition: { name: string | null; up: boolean },
  timeoutMs: number,
): Promise<string[]> {
  if (answer.exitCode === 0) return [];
  const said = answer.timedOut ? `no answer within ${timeoutMs / 1000} s` : (answer.spawnError ?? testOnlyRefusal(`${answer.stderr}\n${answer.stdout}`));
  const argv = testOnlyArgv(request.slurm, request.jobName).join(' ');
  if (answer.timedOut || answer.spawnError) return [`could not try the Slurm request first (${argv}: ${said}); the jobs are submitted as they are`];
  if (mayBeOnlyNow(said) && !(partition.up && (await partitionNodesUp(partition.name, timeoutMs)))) {
    return [`Slurm cannot place this campaign's jobs now (${said}) while the partition or its nodes are down or drained: they wait`];
  }
  throw new EnvironmentError(
    `Slurm refuses this campaign's jobs: ${said} (srun --test-only; nothing was submitted). The request: ${requestParts(request).join(', ')}`,
    'ask for what the cluster has (sinfo -o "%P %l %G" lists the partitions, their time limits and generic resources), then run again',
  );
}

/** Each part of the request with where it was set: `basic.yaml:28:11 runner.slurm.gres gpu:3`. */
function requestParts({ slurm, places }: SlurmRequest): string[] {
  const part = (place: SettingPlace, value: string) => `${settingLabel(place)} ${value}`;
  return [
    slurm.partition ? part(places.slurmPartition, slurm.partition) : 'the default partition',
    slurm.gres ? part(places.slurmGres, slurm.gres) : 'no gres',
    ...(slurm.timeLimit ? [part(places.slurmTimeLimit, slurm.timeLimit)] : []),
    ...(slurm.sbatchArgs.length > 0 ? [part(places.slurmSbatchArgs, `[${slurm.sbatchArgs.join(', ')}]`)] : []),
  ];
}

/** Whether every node of the partition (null: the default one) takes jobs; asked only after a refusal. */
async function partitionNodesUp(partition: string | null, timeoutMs: number): Promise<boolean> {
  const r = await capture(['sinfo', '--noheader', '--format=%T', ...(partition ? [`--partition=${partition}`] : [])], { timeoutMs });
  const states = r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  return r.exitCode === 0 && states.length > 0 && states.every(nodeTakesJobs);
}

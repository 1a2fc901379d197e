// The argv of one experiment's Slurm job: `srun` in the foreground, so that
// the harness's output streams back as it prints, its exit code is srun's,
// and a cancel is one `scancel` (README, "Slurm": why srun, not sbatch).
// Pure: --dry-run prints exactly this.
import type { SlurmSettings } from '../../config/types.js';

export function srunArgv(slurm: SlurmSettings, jobName: string, command: string[]): string[] {
  return [
    'srun',
    `--job-name=${jobName}`,
    '--ntasks=1',
    ...(slurm.partition ? [`--partition=${slurm.partition}`] : []),
    ...(slurm.gres ? [`--gres=${slurm.gres}`] : []),
    ...(slurm.timeLimit ? [`--time=${slurm.timeLimit}`] : []),
    ...slurm.sbatchArgs,
    ...command,
  ];
}

/**
 * `container: compose`: the job runs `compose run --rm` on its node through a
 * small sh wrapper that (1) hands the container the GPUs Slurm gave the job
 * (SLURM_STEP_GPUS: the node's own indexes, which the NVIDIA runtime reads
 * from NVIDIA_VISIBLE_DEVICES; the container is started by the Docker daemon,
 * outside the job's cgroup, so nothing else confines it), and (2) on the
 * SIGTERM of a cancel or a time limit stops and removes the container itself:
 * compose v2's client exits on SIGTERM and leaves its container running.
 */
export function composeJobCommand(engineCli: string, containerName: string, stopSeconds: number, composeArgv: string[]): string[] {
  return ['sh', '-c', COMPOSE_JOB_SCRIPT, 'lem-tui-job', engineCli, containerName, String(stopSeconds), ...composeArgv];
}

const COMPOSE_JOB_SCRIPT = [
  'cli=$1; name=$2; grace=$3; shift 3',
  'export NVIDIA_VISIBLE_DEVICES="${SLURM_STEP_GPUS:-${SLURM_JOB_GPUS:-${CUDA_VISIBLE_DEVICES:-}}}"',
  '"$@" & child=$!',
  'stop() { "$cli" stop -t "$grace" "$name" >/dev/null 2>&1; "$cli" rm -f "$name" >/dev/null 2>&1; wait "$child"; exit 143; }',
  "trap stop TERM INT HUP",
  'wait "$child"',
].join('\n');

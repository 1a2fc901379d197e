// Slurm dispatch: every experiment is one job, `srun --job-name=<project>-<exp>`
// in the foreground (output streams back, the exit code is the harness's).
// Slurm decides where and when; lem-tui submits, watches (SlurmJobWatcher)
// and cancels by job id. A stop asks Slurm first (scancel: the task gets
// SIGTERM, then SIGKILL after the cluster's KillWait), then climbs the usual
// ladder on srun itself. container: compose runs `compose run --rm` on the
// node through a wrapper that removes the container on a cancel.
import type { SlurmSettings } from '../config/types.js';
import type { SlurmJob } from '../domain/slurmJob.js';
import type { ComposeTarget } from '../compose/types.js';
import type { ContainerState } from '../domain/containerState.js';
import type { Dispatcher } from './types.js';
import type { DispatchRequest, RunOptions, RunOutcome } from '../domain/runRequest.js';
import { ephemeralContainerName, ephemeralRunArgv, maskSecrets, secretEnv } from '../compose/argv.js';
import { composeClientEnv } from '../compose/clientEnv.js';
import { engineCli } from '../compose/flavour.js';
import { runStreaming } from '../io/process/process.js';
import { toRunOutcome } from '../compose/runOutcome.js';
import { ShutdownGate } from './shutdownGate.js';
import { cancelJobNamed, cancelJobs, jobDetail, listJobs, waitJobsEnded } from '../io/slurm/slurmQueue.js';
import { SlurmJobWatcher } from '../io/slurm/slurmJobWatcher.js';
import { slurmJobName } from '../io/slurm/jobName.js';
import { jobEnd } from '../io/slurm/jobEnd.js';
import { composeJobCommand, srunArgv } from '../io/slurm/srunArgv.js';
import { isActiveJob } from '../domain/slurmJob.js';

export interface SlurmDispatcherOptions {
  slurm: SlurmSettings;
  /** The campaign's compose-project name: the prefix of its job names. */
  project: string;
  /** container: compose: how the node calls compose (the same files, as paths the node sees). */
  target: ComposeTarget | null;
  /** After scancel, srun gets this long to end before SIGTERM (then SIGKILL) of srun itself. */
  killGraceMs: number;
  stopGraceSeconds: number;
  pollMs?: number;
  onLog?: (line: string) => void;
}

/** Variables Slurm sets for the job's GPUs: ours (the caller's) must not reach the job. */
const GPU_ENV = ['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES', 'CUDA_DEVICE_ORDER'];

export function createSlurmDispatcher(options: SlurmDispatcherOptions): Dispatcher {
  const { project } = options;
  const watcher = new SlurmJobWatcher({ project, pollMs: options.pollMs });
  const gate = new ShutdownGate();
  const running = new Map<string, Running>();
  const attempts = new Map<string, number>();
  const cx: JobsContext = { options, watcher, running, attempts };

  return {
    capabilities: { keepsServicesUp: false, restartsServices: false, coldStart: false },
    commands: { up: null, down: null, stopHint: null },
    async prepare() {
      watcher.start();
    },
    run(req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
      return gate.track(runJob(cx, req, opts));
    },
    describe(req: DispatchRequest): string[] {
      const { argv, env } = jobCommand(options, req, (attempts.get(req.expId) ?? 0) + 1);
      const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
      return maskSecrets(assignments.length > 0 ? ['env', ...assignments, ...argv] : argv, req.secretKeys);
    },
    async restart() {},
    async resubmit(expId: string) {
      const run = running.get(expId);
      if (!run || gate.isClosed) return false;
      run.ourCancel = 'resubmit';
      await cancelRun(run);
      return true;
    },
    shutdown() {
      return gate.close(
        () => cancelEveryJob(options, watcher),
        () => {
          for (const run of running.values()) run.controller.abort();
        },
      );
    },
    async leftRunning() {
      return null;
    },
    onJobs(listener: (job: SlurmJob) => void) {
      return watcher.onJob(listener);
    },
    onState(_listener: (state: ContainerState) => void) {
      return () => {};
    },
  };

}

/** What one attempt submits: the srun argv and the environment it is given (srun exports it to the job). */
function jobCommand(options: SlurmDispatcherOptions, req: DispatchRequest, attempt: number): { argv: string[]; env: Record<string, string> } {
  const { slurm, project } = options;
  const name = slurmJobName(project, req.expId);
  const env = Object.fromEntries(Object.entries(req.env).filter(([k]) => !GPU_ENV.includes(k)));
  if (!options.target) return { argv: srunArgv(slurm, name, req.argv), env };
  const container = ephemeralContainerName(project, req.expId, attempt);
  const compose = ephemeralRunArgv(options.target, { ...req, env }, container);
  // The container takes the job's GPUs from the wrapper (bare -e: the value is the client's).
  compose.splice(compose.indexOf(container) + 1, 0, '-e', 'NVIDIA_VISIBLE_DEVICES');
  const command = composeJobCommand(engineCli(options.target), container, options.stopGraceSeconds, compose);
  return { argv: srunArgv(slurm, name, command), env: composeClientEnv(secretEnv(req)) };
}


/** What the runs of one dispatcher share. */
interface JobsContext {
  options: SlurmDispatcherOptions;
  watcher: SlurmJobWatcher;
  /** By expId: the attempt under way. */
  running: Map<string, Running>;
  /** By expId: attempts started (names each attempt's container). */
  attempts: Map<string, number>;
}

/** One attempt: its srun in the foreground, stopped by asking Slurm first. */
async function runJob(cx: JobsContext, req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
  const { options, watcher, running, attempts } = cx;
  const { project } = options;
  const attempt = (attempts.get(req.expId) ?? 0) + 1;
  attempts.set(req.expId, attempt);
  const { argv, env } = jobCommand(options, req, attempt);
  const run: Running = { name: slurmJobName(project, req.expId), expId: req.expId, controller: new AbortController(), ourCancel: null, jobId: null };
  running.set(req.expId, run);
  const output: string[] = [];
  // The experiment's time limit and stuck detector count from the job's
  // start, not from its submission: a job waiting in the queue is neither.
  const clock = new RunningClock(req.timeoutMs, () => run.controller.abort());
  try {
    const r = await runStreaming(argv, {
      env,
      signal: AbortSignal.any([opts.signal, run.controller.signal]),
      onLine: (line, stream) => {
        const queued = QUEUED.exec(line);
        if (queued) {
          run.jobId ??= queued[1]!;
          clock.queued();
        } else if (ALLOCATED.test(line)) clock.started();
        if (stream === 'stderr') keepLast(output, line, 20);
        opts.onLine(line, stream);
      },
      onStuck: (silentMs) => {
        if (!clock.waiting) opts.onStuck?.(silentMs);
      },
      inactivityMs: req.inactivityMs,
      stuckMs: req.stuckMs,
      killGraceMs: options.killGraceMs,
      processGroup: true,
      askFirst: async () => {
        run.ourCancel ??= 'quit';
        await cancelRun(run);
      },
    });
    if (clock.timedOut) {
      const stopped = { ...r, cancelled: false, timedOut: true };
      return { ...toRunOutcome(stopped, req), reason: `timed out after ${Math.round(req.timeoutMs / 100) / 10} s of running: job cancelled` };
    }
    return await outcomeOf(watcher, run, r, req, output);
  } finally {
    clock.stop();
    running.delete(req.expId);
  }
}


/** srun's own lines when the job had to wait: its id while queued, then the start. */
const QUEUED = /^srun: job (\d+) queued and waiting for resources/;
const ALLOCATED = /^srun: job \d+ has been allocated resources/;

/** The experiment timeout of a job, counted while it runs: stopped while srun says it waits in the queue. */
class RunningClock {
  timedOut = false;
  waiting = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly limitMs: number,
    private readonly onTimeout: () => void,
  ) {
    this.started();
  }

  queued(): void {
    this.waiting = true;
    this.stop();
  }

  started(): void {
    this.waiting = false;
    this.stop();
    if (this.limitMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.onTimeout();
      }, this.limitMs);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * scancel of the run's job by its name: an attempt's job is the only active
 * one of that name, and a job just submitted may be in no squeue answer yet
 * (the watcher's latest id for the experiment may still be the attempt
 * before, long ended).
 */
async function cancelRun(run: Running): Promise<void> {
  await cancelJobNamed(run.name);
}

/** Teardown: what no run of ours waits for any more (an srun that died) is cancelled by id, and everything waited for. */
async function cancelEveryJob(options: SlurmDispatcherOptions, watcher: SlurmJobWatcher): Promise<void> {
  const prefix = `${options.project}-`;
  const left = (await listJobs(prefix))?.filter((j) => isActiveJob(j.state)).map((j) => j.jobId) ?? [];
  const cancelled = await cancelJobs(left);
  if (!cancelled.ok) options.onLog?.(`scancel ${left.join(' ')} failed: ${cancelled.message}`);
  // srun returns before its job has ended (COMPLETING: the node still stops what ran in it).
  const still = await waitJobsEnded(prefix, options.killGraceMs);
  if (still?.length) options.onLog?.(`Slurm jobs still ending: ${still.map((j) => `${j.jobId} ${j.state}`).join(', ')}`);
  await watcher.poll();
  watcher.stop();
}

/** How the attempt ended, with Slurm's word for it when Slurm (or someone outside) ended the job. */
async function outcomeOf(watcher: SlurmJobWatcher, run: Running, r: Awaited<ReturnType<typeof runStreaming>>, req: DispatchRequest, output: string[]): Promise<RunOutcome> {
  const outcome = toRunOutcome(r, req);
  await watcher.poll();
  const jobId = run.jobId ?? watcher.latestJobId(run.expId);
  const known = jobId ? watcher.job(jobId) : null;
  // srun exits 0 after a node failure ("srun: error: Node failure on vm"): exit 0 is a success only when Slurm agrees.
  const slurmEnded = (known && ENDED_BY_SLURM.has(known.state)) || output.some((l) => NODE_FAILURE.test(l));
  if (r.exitCode === 0 && !r.cancelled && !slurmEnded) return outcome;
  const detail = jobId ? await jobDetail(jobId) : null;
  if (detail && known) watcher.report({ ...known, state: detail.state, reason: detail.reason, node: detail.node ?? known.node });
  const end = jobEnd(jobId, detail, output, r.cancelled || r.timedOut || r.inactive ? 'quit' : run.ourCancel);
  if (!end.reason) return outcome;
  // Not the harness's success, whatever srun's code: the result check must not run.
  return { ...outcome, exitCode: r.exitCode === 0 ? null : r.exitCode, reason: end.reason, retryable: end.retryable };
}

/** Job states in which Slurm, not the harness, ended the job. */
const ENDED_BY_SLURM = new Set(['TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'CANCELLED', 'DEADLINE', 'OUT_OF_MEMORY']);
const NODE_FAILURE = /^srun: error: Node failure on /;

function keepLast(lines: string[], line: string, limit: number): void {
  lines.push(line);
  if (lines.length > limit) lines.shift();
}

interface Running {
  name: string;
  expId: string;
  controller: AbortController;
  /** Why lem-tui cancelled the job itself, if it did. */
  ourCancel: 'quit' | 'resubmit' | null;
  /** From srun's "job N queued" line, when it waited. */
  jobId: string | null;
}

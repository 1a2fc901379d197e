// Shared set-up for the tests on a real Slurm cluster (scripts/start-slurm.sh
// starts a single-node one: two GPUs as generic resources on /dev/null and
// /dev/zero).
//
// (a) The cluster must answer: in CI (CI=true) a missing cluster FAILS the
//     suite (never skip silently there); elsewhere the suite is skipped with
//     a loud message.
// (b) Every job a test submits carries the test's job-name prefix; afterAll
//     (see `useSlurmJobs`) cancels whatever of it is left.
import { afterAll } from 'vitest';
import { capture, type CaptureResult } from '../../source/io/process/process.js';

/** Whether a Slurm cluster answers with a node ready; in CI a missing one throws (the suite fails). */
export async function slurmForTests(): Promise<boolean> {
  const r = await capture(['sinfo', '-h', '-o', '%T %G'], { timeoutMs: 20_000 });
  const states = r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  if (states.some((s) => /^(idle|mixed|allocated|completing)/.test(s))) return true;
  const why =
    r.exitCode === 0
      ? `no node ready (sinfo: ${states.join(', ') || 'no nodes'})`
      : (r.spawnError ?? r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`);
  if (process.env.CI === 'true') {
    throw new Error(`Slurm cluster not answering in CI (${why}): the Slurm tests must run here, not skip.`);
  }
  console.warn(`\n!!! SKIPPING Slurm tests: the Slurm cluster does not answer (${why}).\n!!! Start it (scripts/start-slurm.sh) to run them.\n`);
  return false;
}

/** Runs a Slurm command; throws with its stderr when it fails. */
export async function slurm(argv: string[], timeoutMs = 60_000): Promise<CaptureResult> {
  const r = await capture(argv, { timeoutMs });
  if (r.exitCode !== 0) {
    throw new Error(`${argv.join(' ')}: exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}: ${r.spawnError ?? r.stderr.trim()}`);
  }
  return r;
}

export interface SlurmJobs {
  /** The job-name prefix of this file's jobs. */
  prefix: string;
  /** Submits a batch job named `${prefix}-${tag}` (sbatch --parsable); returns its id. */
  sbatch(tag: string, args: string[]): Promise<string>;
  /** Our jobs the queue still lists: id → "STATE REASON". */
  queue(): Promise<Map<string, string>>;
  /** Cancels every job of ours still queued. */
  cancelAll(): Promise<void>;
}

/** Call at the top of a describe block that `slurmForTests()` allowed. */
export function useSlurmJobs(tag: string): SlurmJobs {
  const prefix = `lemtest-${tag}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  const jobs: SlurmJobs = {
    prefix,
    async sbatch(name, args) {
      const r = await slurm(['sbatch', '--parsable', `--job-name=${prefix}-${name}`, ...args]);
      return r.stdout.trim().split(';')[0]!;
    },
    async queue() {
      const r = await slurm(['squeue', '-h', '-o', '%i|%j|%T %r']);
      const ours = new Map<string, string>();
      for (const line of r.stdout.split('\n')) {
        const [id, name, state] = line.split('|');
        if (id && name?.startsWith(`${prefix}-`)) ours.set(id, state ?? '');
      }
      return ours;
    },
    async cancelAll() {
      const ids = [...(await jobs.queue()).keys()];
      if (ids.length) await slurm(['scancel', ...ids]);
    },
  };
  afterAll(() => jobs.cancelAll(), 60_000);
  return jobs;
}

/** Polls `probe` until it returns a value (not undefined); throws once `timeoutMs` has passed. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

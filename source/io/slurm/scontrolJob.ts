// One job as `scontrol show job -d -o <id>` prints it: a single line of
// Key=Value words. Read here for what squeue does not say: the GPUs Slurm
// gave the job on its node (GRES=gpu:1(IDX:0)), and after the end its exit
// code and why it ended. Pure: the caller runs scontrol (slurmQueue.ts).

export interface JobDetail {
  jobId: string;
  name: string;
  state: string;
  reason: string | null;
  node: string | null;
  /** "0", "0-1", "0,2": the IDX of the gpu GRES; null when the job holds none (or is pending). */
  gpus: string | null;
  /** ExitCode=<code>:<signal>. */
  exitCode: number | null;
  exitSignal: number | null;
  timeLimit: string | null;
}

export function parseJobDetail(stdout: string): JobDetail | null {
  const line = stdout.split('\n').find((l) => l.startsWith('JobId='));
  if (!line) return null;
  const words = new Map<string, string>();
  // Values hold no spaces in -o form except Command/WorkDir at most; take the first of each key.
  for (const word of line.trim().split(/\s+/)) {
    const at = word.indexOf('=');
    if (at > 0 && !words.has(word.slice(0, at))) words.set(word.slice(0, at), word.slice(at + 1));
  }
  const value = (key: string) => {
    const v = words.get(key);
    return v === undefined || v === '' || v === '(null)' || v === 'None' ? null : v;
  };
  const exit = /^(\d+):(\d+)$/.exec(words.get('ExitCode') ?? '');
  return {
    jobId: words.get('JobId')!,
    name: words.get('JobName') ?? '',
    state: words.get('JobState') ?? 'UNKNOWN',
    reason: value('Reason'),
    node: value('NodeList'),
    gpus: gpuIndexes(line),
    exitCode: exit ? Number(exit[1]) : null,
    exitSignal: exit ? Number(exit[2]) : null,
    timeLimit: value('TimeLimit'),
  };
}

/** `GRES=gpu:1(IDX:0)`, `GRES=gpu:a100:2(IDX:0-1)`, `GRES=gpu:2(IDX:0,2),shard:0` → "0", "0-1", "0,2". */
function gpuIndexes(line: string): string | null {
  const m = /\bGRES=[^\s]*?gpu[^\s(]*\(IDX:([^)]*)\)/.exec(line);
  return m && m[1] !== 'N/A' ? m[1]! : null;
}

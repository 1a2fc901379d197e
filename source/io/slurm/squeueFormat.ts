// What `squeue` says of the campaign's jobs, asked with one fixed format
// (SQUEUE_FORMAT) and read back here. Pure: the caller runs squeue
// (slurmQueue.ts).

/** %i job id, %j name, %T state (long form), %r reason, %N nodes, %M time used. */
export const SQUEUE_FORMAT = '%i|%j|%T|%r|%N|%M';

export interface QueueRow {
  jobId: string;
  name: string;
  state: string;
  /** null for Slurm's "None". */
  reason: string | null;
  /** null while pending (Slurm prints nothing or "(null)"). */
  node: string | null;
  elapsedS: number | null;
}

/** The rows of `squeue -h -o SQUEUE_FORMAT`; lines that are not rows (a warning) are left out. */
export function parseQueue(stdout: string): QueueRow[] {
  const rows: QueueRow[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split('|');
    if (fields.length !== 6 || !/^\d+(_\d+)?$/.test(fields[0]!)) continue;
    const [jobId, name, state, reason, node, elapsed] = fields as [string, string, string, string, string, string];
    rows.push({ jobId, name, state, reason: present(reason), node: present(node), elapsedS: parseSlurmDuration(elapsed) });
  }
  return rows;
}

function present(value: string): string | null {
  const v = value.trim();
  return v === '' || v === 'None' || v === '(null)' ? null : v;
}

/**
 * Slurm's elapsed forms: "M:SS", "H:MM:SS", "D-HH:MM:SS" (squeue
 * %M), and "HH:MM:SS" (scontrol RunTime). null for "INVALID" and the like.
 */
export function parseSlurmDuration(text: string): number | null {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [, days, hours, minutes, seconds] = m;
  return Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}

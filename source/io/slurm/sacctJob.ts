// A job as accounting remembers it, for when slurmctld has forgotten it
// (MinJobAge after its end): `sacct -j <id> -X -n -P -o SACCT_FIELDS`, one
// line of |-separated fields. State reads "CANCELLED by 1000" for a cancel:
// the first word is the state. Pure: the caller runs sacct (slurmQueue.ts).
import type { JobDetail } from './scontrolJob.js';

export const SACCT_FIELDS = 'JobID,JobName,State,ExitCode,NodeList,Timelimit';

export function parseSacctJob(stdout: string): JobDetail | null {
  const line = stdout.split('\n').find((l) => /^\d+(_\d+)?\|/.test(l.trim()));
  if (!line) return null;
  const [jobId = '', name = '', state = '', exit = '', node = '', timeLimit = ''] = line.trim().split('|');
  const code = /^(\d+):(\d+)$/.exec(exit);
  const present = (v: string) => (v === '' || v === 'None assigned' || v === '(null)' ? null : v);
  return {
    jobId,
    name,
    state: state.split(' ')[0] || 'UNKNOWN',
    reason: null,
    node: present(node),
    gpus: null,
    exitCode: code ? Number(code[1]) : null,
    exitSignal: code ? Number(code[2]) : null,
    timeLimit: present(timeLimit),
  };
}

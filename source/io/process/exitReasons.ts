// Readable reasons for how a command ended. The code depends on the path
// (DESIGN.md, "Exit codes"): killed → 137, SIGTERM → 143, `exec` on a stopped
// service → 1, command not found → 127 (run), 126 (exec), or 1 with
// "executable file not found" (v1 run without init), engine error → 125 or 1.

export interface EndFacts {
  exitCode: number | null;
  signal: string | null;
  timedOut?: boolean;
  cancelled?: boolean;
  inactive?: boolean;
  timeoutMs?: number;
  inactivityMs?: number;
  /** Last lines on stderr, for messages only compose prints. */
  stderrTail?: string[];
  oomKilled?: boolean;
  spawnError?: string | null;
}

const secs = (ms: number | undefined) => (ms && ms > 0 ? ` after ${Math.round(ms / 100) / 10} s` : '');

export function exitReason(f: EndFacts): string | null {
  if (f.spawnError) return `could not start: ${f.spawnError}`;
  if (f.cancelled) return 'cancelled';
  if (f.timedOut) return `timed out${secs(f.timeoutMs)}: killed`;
  if (f.inactive) return `no output${secs(f.inactivityMs)}: killed as hung`;
  const tail = (f.stderrTail ?? []).join('\n');
  const code = f.exitCode;
  if (code === 0) return null;
  if (code === null) return f.signal ? signalReason(f.signal) : 'ended without an exit code';
  if (/executable file not found|no such file or directory.*exec|exec: .* not found/i.test(tail)) {
    return `command not found in the container (exit ${code})`;
  }
  switch (code) {
    case 125:
      return 'the container engine could not run the container (exit 125)';
    case 126:
      return 'command cannot be executed: not found or not executable (exit 126)';
    case 127:
      return 'command not found (exit 127)';
    case 130:
      return 'interrupted (exit 130: SIGINT)';
    case 137:
      return f.oomKilled
        ? 'killed: out of memory (exit 137, OOMKilled)'
        : 'killed (exit 137: SIGKILL from docker kill, the OOM killer or a stop timeout)';
    case 143:
      return 'terminated (exit 143: SIGTERM)';
  }
  if (code === 1 && /is not running|no container found|not running/i.test(tail)) {
    return "the service's container is not running (exit 1)";
  }
  if (code > 128 && code < 160) return `killed by signal ${code - 128} (exit ${code})`;
  const last = (f.stderrTail ?? []).filter((l) => !isComposeChatter(l)).at(-1)?.trim();
  return last ? `exited with code ${code}: ${last.slice(0, 200)}` : `exited with code ${code}`;
}

/** A process ended by a signal from outside lem-tui (a local harness: no exit code); worded as its container exit code would be. */
function signalReason(signal: string): string {
  if (signal === 'SIGKILL') return 'killed by SIGKILL (as exit 137: the OOM killer or another process)';
  if (signal === 'SIGTERM') return 'terminated by SIGTERM (as exit 143)';
  return `killed by ${signal}`;
}

/**
 * Lines compose itself prints around a command: v1 `run` echoes the exit
 * code ("5") and progress ("Creating p_svc_run ... done"). Not a reason.
 */
export function isComposeChatter(line: string): boolean {
  const l = line.trim();
  return /^-?\d+$/.test(l) || /^(Creating|Starting|Stopping|Removing|Recreating|Container)\b.*(\.\.\.|done|Started|Created|Running)\s*$/.test(l);
}

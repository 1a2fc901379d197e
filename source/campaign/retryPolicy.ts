// Which failures are worth another attempt (DESIGN.md, "Exit codes and retries"):
// a killed or terminated container (137/143), a timeout or a hang may pass on a
// fresh service; a harness or config error (1, 125/126/127) will not.
import type { RunOutcome } from '../domain/runRequest.js';

export function isRetryable(outcome: RunOutcome): boolean {
  if (outcome.cancelled) return false;
  if (outcome.retryable !== undefined) return outcome.retryable;
  if (outcome.timedOut) return true;
  return outcome.exitCode === 137 || outcome.exitCode === 143;
}

/** Back-off before attempt n+1: 2 s, 4 s, 8 s ... capped at 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2000 * 2 ** (attempt - 1), 30_000);
}

// What a dispatcher tells the engine about a finished run, from what
// runStreaming saw: one mapping for every dispatcher, so that a hang reads
// as a timeout and a reason is worded the same everywhere.
import type { DispatchRequest, RunOutcome } from '../domain/runRequest.js';
import { exitReason } from '../io/process/exitReasons.js';
import type { StreamingResult } from '../io/process/process.js';

export function toRunOutcome(
  r: StreamingResult,
  limits: Pick<DispatchRequest, 'timeoutMs' | 'inactivityMs'>,
  facts: { oomKilled?: boolean } = {},
): RunOutcome {
  return {
    exitCode: r.exitCode,
    signal: r.signal,
    durationMs: r.durationMs,
    // No output for inactivityMs is a timeout too (the hang detector).
    timedOut: r.timedOut || r.inactive,
    cancelled: r.cancelled,
    reason: exitReason({ ...r, timeoutMs: limits.timeoutMs, inactivityMs: limits.inactivityMs, oomKilled: facts.oomKilled }),
  };
}

// Which ends are worth another attempt: the exit code decides (137/143 and a
// timeout: yes; a harness error: no) unless the dispatcher knows better
// (retryable: a local harness killed by a signal from outside says true);
// a cancel never is.
import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../source/domain/runRequest.js';
import { isRetryable } from '../../source/campaign/retryPolicy.js';

const end = (o: Partial<RunOutcome>): RunOutcome => ({ exitCode: null, signal: null, durationMs: 1, timedOut: false, cancelled: false, reason: null, ...o });

describe('isRetryable', () => {
  it('a killed or terminated container (137, 143) and a timeout: yes; a harness error: no', () => {
    expect(isRetryable(end({ exitCode: 137 }))).toBe(true);
    expect(isRetryable(end({ exitCode: 143 }))).toBe(true);
    expect(isRetryable(end({ exitCode: 137, timedOut: true }))).toBe(true);
    expect(isRetryable(end({ exitCode: 1 }))).toBe(false);
    expect(isRetryable(end({ exitCode: 127 }))).toBe(false);
  });

  it("the dispatcher's word wins over the code (a local harness SIGKILLed from outside: no code, retryable); a cancel never retries", () => {
    expect(isRetryable(end({ signal: 'SIGKILL', retryable: true }))).toBe(true);
    expect(isRetryable(end({ signal: 'SIGKILL' }))).toBe(false);
    expect(isRetryable(end({ exitCode: 137, retryable: false }))).toBe(false);
    expect(isRetryable(end({ signal: 'SIGKILL', cancelled: true, retryable: true }))).toBe(false);
  });
});

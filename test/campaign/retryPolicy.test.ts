// Which ends are worth another attempt: a local harness ended by a signal
// (no exit code) is the fault a container reports as 137/143, unless lem-tui
// itself stopped it (cancel, skip, timeout).
import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../source/compose/types.js';
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

  it('a local harness ended by SIGKILL (the OOM killer) or SIGTERM from outside: yes, like 137/143', () => {
    expect(isRetryable(end({ signal: 'SIGKILL' }))).toBe(true);
    expect(isRetryable(end({ signal: 'SIGTERM' }))).toBe(true);
  });

  it('other signals, no signal at all, or a signal lem-tui sent (cancel): no', () => {
    expect(isRetryable(end({ signal: 'SIGSEGV' }))).toBe(false);
    expect(isRetryable(end({}))).toBe(false);
    expect(isRetryable(end({ signal: 'SIGKILL', cancelled: true }))).toBe(false);
    expect(isRetryable(end({ signal: 'SIGTERM', cancelled: true }))).toBe(false);
  });
});

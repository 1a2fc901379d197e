import { describe, expect, it } from 'vitest';
import type { StreamingResult } from '../../source/io/process/process.js';
import { toRunOutcome } from '../../source/compose/runOutcome.js';

const ended = (over: Partial<StreamingResult> = {}): StreamingResult => ({
  exitCode: 0,
  signal: null,
  durationMs: 1234,
  timedOut: false,
  cancelled: false,
  inactive: false,
  stderrTail: [],
  spawnError: null,
  ...over,
});
const limits = { timeoutMs: 60_000, inactivityMs: 30_000 };

describe('toRunOutcome', () => {
  it('a clean exit: the code, the duration, no reason', () => {
    expect(toRunOutcome(ended(), limits)).toEqual({ exitCode: 0, signal: null, durationMs: 1234, timedOut: false, cancelled: false, reason: null });
  });

  it('a timeout names the limit', () => {
    expect(toRunOutcome(ended({ exitCode: null, signal: 'SIGTERM', timedOut: true }), limits)).toMatchObject({
      timedOut: true,
      signal: 'SIGTERM',
      reason: 'timed out after 60 s: killed',
    });
  });

  it('a hang (no output) counts as timed out, with its own reason', () => {
    expect(toRunOutcome(ended({ exitCode: null, signal: 'SIGTERM', inactive: true }), limits)).toMatchObject({
      timedOut: true,
      reason: 'no output after 30 s: killed as hung',
    });
  });

  it('a cancel', () => {
    expect(toRunOutcome(ended({ exitCode: 143, cancelled: true }), limits)).toMatchObject({ exitCode: 143, cancelled: true, timedOut: false, reason: 'cancelled' });
  });

  it('137 says OOM only when the engine saw it', () => {
    expect(toRunOutcome(ended({ exitCode: 137 }), limits).reason).toBe('killed (exit 137: SIGKILL from docker kill, the OOM killer or a stop timeout)');
    expect(toRunOutcome(ended({ exitCode: 137 }), limits, { oomKilled: true }).reason).toBe('killed: out of memory (exit 137, OOMKilled)');
  });

  it('reads stderr for the reason, and a spawn error comes first', () => {
    expect(toRunOutcome(ended({ exitCode: 2, stderrTail: ['bad config'] }), limits).reason).toBe('exited with code 2: bad config');
    expect(toRunOutcome(ended({ exitCode: null, spawnError: 'spawn lem ENOENT' }), limits).reason).toBe('could not start: spawn lem ENOENT');
  });
});

// The silence watchdog on a fake clock: it is only timers, so the clock is the
// honest test (runStreaming's own test covers it with a real process).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SilenceWatchdog } from '../../../source/io/process/silenceWatchdog.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function watch(options: { inactivityMs?: number; stuckMs?: number }) {
  const seen = { silent: 0, stuck: [] as number[] };
  const watchdog = new SilenceWatchdog({ ...options, onSilent: () => void (seen.silent += 1), onStuck: (ms) => void seen.stuck.push(ms) });
  return { watchdog, seen };
}

describe('SilenceWatchdog', () => {
  it('calls onSilent after inactivityMs without a line, and a line starts the silence again', () => {
    const { watchdog, seen } = watch({ inactivityMs: 500 });
    watchdog.arm();
    vi.advanceTimersByTime(300);
    watchdog.heard();
    vi.advanceTimersByTime(499);
    expect(seen.silent).toBe(0); // 799 ms since the start, 499 since the line
    vi.advanceTimersByTime(1);
    expect(seen.silent).toBe(1);
  });

  it('counts the silence from `since`, and arms nothing before arm()', () => {
    const since = Date.now();
    vi.advanceTimersByTime(100);
    const seen: string[] = [];
    const watchdog = new SilenceWatchdog({ inactivityMs: 500, onSilent: () => seen.push('silent') }, since);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([]);
    watchdog.arm();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(['silent']);
  });

  it('reports stuck once per silent stretch, again after a line and a new stretch', () => {
    const { watchdog, seen } = watch({ stuckMs: 250 });
    watchdog.arm();
    vi.advanceTimersByTime(1000);
    expect(seen.stuck).toEqual([250]);
    watchdog.heard();
    vi.advanceTimersByTime(100);
    watchdog.heard();
    vi.advanceTimersByTime(249);
    expect(seen.stuck).toEqual([250]);
    vi.advanceTimersByTime(1);
    expect(seen.stuck).toEqual([250, 250]);
  });

  it('does not touch a timer per line (a flood of 20,000 lines/s)', () => {
    const { watchdog, seen } = watch({ inactivityMs: 500, stuckMs: 250 });
    watchdog.arm();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout');
    for (let i = 0; i < 10_000; i += 1) watchdog.heard();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(clearTimeoutSpy).not.toHaveBeenCalled();
    // Still a working watchdog: each timer re-arms once for the rest of the silence.
    vi.advanceTimersByTime(499);
    expect(seen).toEqual({ silent: 0, stuck: [250] });
    vi.advanceTimersByTime(1);
    expect(seen.silent).toBe(1);
  });

  it('never fires once stopped, and lines after the stop arm nothing', () => {
    const { watchdog, seen } = watch({ inactivityMs: 500, stuckMs: 250 });
    watchdog.arm();
    vi.advanceTimersByTime(200);
    watchdog.stop();
    watchdog.heard();
    watchdog.arm();
    vi.advanceTimersByTime(10_000);
    expect(seen).toEqual({ silent: 0, stuck: [] });
  });

  it('0 or undefined limits arm nothing; onStuck without stuckMs is never called', () => {
    const { watchdog, seen } = watch({ inactivityMs: 0 });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    watchdog.arm();
    watchdog.heard();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(seen).toEqual({ silent: 0, stuck: [] });
  });
});

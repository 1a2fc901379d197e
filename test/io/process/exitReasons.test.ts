import { describe, expect, it } from 'vitest';
import { exitReason } from '../../../source/io/process/exitReasons.js';

const end = (exitCode: number | null, more: Record<string, unknown> = {}) => exitReason({ exitCode, signal: null, ...more });

describe('exitReason', () => {
  it('is null for success', () => expect(end(0)).toBeNull());
  it('names the well-known codes', () => {
    expect(end(125)).toMatch(/engine could not run/);
    expect(end(126)).toMatch(/cannot be executed/);
    expect(end(127)).toMatch(/not found/);
    expect(end(137)).toMatch(/^killed \(exit 137/);
    expect(end(137, { oomKilled: true })).toMatch(/out of memory/);
    expect(end(143)).toMatch(/terminated.*SIGTERM/);
  });
  it('reads v1 run\'s "executable file not found" behind exit 1', () => {
    expect(end(1, { stderrTail: ['exec: "lem": executable file not found in $PATH: unknown'] })).toMatch(
      /command not found in the container \(exit 1\)/,
    );
  });
  it('says when the service was not running', () => {
    expect(end(1, { stderrTail: ['Error response from daemon: Container abc is not running'] })).toMatch(/not running/);
  });
  it('prefers what we did over the code', () => {
    expect(end(143, { cancelled: true })).toBe('cancelled');
    expect(end(137, { timedOut: true, timeoutMs: 1500 })).toBe('timed out after 1.5 s: killed');
    expect(end(null, { inactive: true, inactivityMs: 30_000 })).toBe('no output after 30 s: killed as hung');
  });
  it('falls back to the code and the last stderr line', () => {
    expect(end(3)).toBe('exited with code 3');
    expect(end(2, { stderrTail: ['x', 'CUDA error: out of memory'] })).toBe('exited with code 2: CUDA error: out of memory');
    expect(end(null, { signal: 'SIGKILL' })).toBe('killed by SIGKILL (as exit 137: the OOM killer or another process)');
    expect(end(null, { signal: 'SIGTERM' })).toBe('terminated by SIGTERM (as exit 143)');
    expect(end(null, { signal: 'SIGSEGV' })).toBe('killed by SIGSEGV');
    expect(end(139)).toMatch(/signal 11/);
  });
  it("skips compose's own chatter (v1 run echoes the exit code)", () => {
    expect(end(5, { stderrTail: ['Creating p_pytorch_run ... ', 'Creating p_pytorch_run ... done', '5'] })).toBe('exited with code 5');
    expect(end(2, { stderrTail: ['real error', '2'] })).toBe('exited with code 2: real error');
  });
  it('reports a process that could not start', () => {
    expect(exitReason({ exitCode: null, signal: null, spawnError: 'spawn lem ENOENT' })).toMatch(/could not start/);
  });
});

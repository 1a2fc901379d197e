// LEM_TUI_TRACE: every call through process.ts leaves one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capture, runStreaming } from '../../../source/io/process/process.js';

const file = path.join(os.tmpdir(), `lem-trace-${process.pid}.jsonl`);
afterEach(() => {
  delete process.env.LEM_TUI_TRACE;
  fs.rmSync(file, { force: true });
});

describe('LEM_TUI_TRACE', () => {
  it('writes argv, start, end and exit code of capture and runStreaming', async () => {
    process.env.LEM_TUI_TRACE = file;
    await capture(['sh', '-c', 'exit 3']);
    await runStreaming(['sh', '-c', 'sleep 0.05; echo hi']);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.argv, l.exitCode])).toEqual([
      [['sh', '-c', 'exit 3'], 3],
      [['sh', '-c', 'sleep 0.05; echo hi'], 0],
    ]);
    expect(lines[1].end - lines[1].start).toBeGreaterThanOrEqual(40);
  });

  it('writes nothing when unset', async () => {
    await capture(['true']);
    expect(fs.existsSync(file)).toBe(false);
  });
});

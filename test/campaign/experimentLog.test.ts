// The experiment log: what reaches output.log and what reaches the views,
// and when. A sink in memory for the batching; a real folder for the file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExperimentLog, openExperimentLog } from '../../source/campaign/experimentLog.js';
import { tempDir } from '../config/helpers.js';

function memorySink() {
  const writes: string[] = [];
  let ended = false;
  return { writes, ended: () => ended, sink: { write: (text: string) => void writes.push(text), end: (done: () => void) => { ended = true; done(); } } };
}

describe('ExperimentLog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lines are held and written to the file with the batch the views get, file first', () => {
    const { writes, sink } = memorySink();
    const log = new ExperimentLog(sink);
    const events: string[] = [];
    const output = log.attempt((lines, dropped) => events.push(`batch ${lines.join(',')} dropped ${dropped} after ${writes.length} writes`));
    output.line('one');
    output.line('two');
    expect(writes).toEqual([]); // nothing per line
    vi.advanceTimersByTime(40);
    expect(writes).toEqual(['one\ntwo\n']);
    expect(events).toEqual(['batch one,two dropped 0 after 1 writes']);
  });

  it('close() flushes what is pending at once, to both', () => {
    const { writes, sink } = memorySink();
    const batches: string[][] = [];
    const output = new ExperimentLog(sink).attempt((lines) => batches.push(lines));
    output.line('last words');
    output.close();
    expect(writes).toEqual(['last words\n']);
    expect(batches).toEqual([['last words']]);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1); // the batcher's timer was stopped
  });

  it('a chatty attempt writes the file every 64 KiB between batches', () => {
    const { writes, sink } = memorySink();
    const output = new ExperimentLog(sink).attempt(() => {});
    const line = 'x'.repeat(1023); // 1 KiB with its newline
    for (let n = 0; n < 64; n += 1) output.line(line);
    expect(writes).toEqual(['x'.repeat(1023).concat('\n').repeat(64)]);
    output.line(line);
    expect(writes).toHaveLength(1);
  });

  it('notes are written as they are, before the lines that follow', async () => {
    const { writes, sink, ended } = memorySink();
    const log = new ExperimentLog(sink);
    log.note('── attempt 1\n');
    const output = log.attempt(() => {});
    output.line('hello');
    output.close();
    await log.end();
    expect(writes).toEqual(['── attempt 1\n', 'hello\n']);
    expect(ended()).toBe(true);
  });
});

describe('openExperimentLog', () => {
  it('appends to <results>/<exp>/logs/output.log, creating the folders', async () => {
    const dir = await tempDir();
    for (const attempt of [1, 2]) {
      const log = openExperimentLog(dir, '0007');
      log.note(`attempt ${attempt}\n`);
      await log.end();
    }
    expect(fs.readFileSync(path.join(dir, '0007', 'logs', 'output.log'), 'utf8')).toBe('attempt 1\nattempt 2\n');
  });
});

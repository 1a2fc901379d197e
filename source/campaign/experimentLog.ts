// One experiment's output: every line into <results>/<exp>/logs/output.log,
// and into `experiment/output` actions through the OutputBatcher. The file is
// written per batch, not per line: at 20,000 lines/s one write (a Buffer and
// a queued request) per line was most of the engine's garbage
// (BENCHMARKS.md, section 3).
import fs from 'node:fs';
import path from 'node:path';
import { OutputBatcher } from './outputBatcher.js';

/** Where the text goes: a file stream in a campaign, anything in a test. */
export interface LogSink {
  write(text: string): void;
  /** `done` once everything written is flushed (or the sink failed). */
  end(done: () => void): void;
}

/** Lines of one attempt; `close` flushes what is pending to both the file and the views. */
export interface AttemptOutput {
  line(line: string): void;
  close(): void;
}

/** Text held back before a file write, unless a batch flush comes first. */
const FILE_CHUNK_CHARS = 64 * 1024;

export function openExperimentLog(resultsDir: string, expId: string): ExperimentLog {
  const dir = path.join(resultsDir, expId, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const stream = fs.createWriteStream(path.join(dir, 'output.log'), { flags: 'a' });
  stream.on('error', () => {}); // a full disk must not crash the campaign; the state keeps the tail
  return new ExperimentLog(stream);
}

export class ExperimentLog {
  constructor(private readonly sink: LogSink) {}

  /** A line of our own (the attempt header), written as it is. */
  note(text: string): void {
    this.sink.write(text);
  }

  /** The output of one attempt; `onBatch` receives the lines for the views, batched. */
  attempt(onBatch: (lines: string[], dropped: number) => void): AttemptOutput {
    let pending = '';
    const flushFile = () => {
      if (pending.length === 0) return;
      this.sink.write(pending);
      pending = '';
    };
    // The file is written before the views hear of a batch, so what the
    // screen shows is already in the log.
    const batcher = new OutputBatcher((lines, dropped) => {
      flushFile();
      onBatch(lines, dropped);
    });
    return {
      line: (line) => {
        pending += `${line}\n`;
        if (pending.length >= FILE_CHUNK_CHARS) flushFile();
        batcher.push(line);
      },
      close: () => {
        batcher.drain();
        flushFile();
      },
    };
  }

  /** Resolves once the file is complete; the engine does not wait for it. */
  end(): Promise<void> {
    return new Promise((resolve) => this.sink.end(() => resolve()));
  }
}

// The plain and NDJSON outputs: one line per transition (report/plain.ts) or
// one JSON event per line (report/ndjson.ts) on stdout. There is no one to
// ask and nothing to wait for at the end.
import { createNdjsonReporter } from '../report/ndjson.js';
import { createPlainReporter } from '../report/plain.js';
import type { Store } from '../state/store.js';
import type { Command } from '../state/types.js';
import { lineWriter } from './lineWriter.js';
import type { Output } from './types.js';

export function attachLines(store: Store, send: (command: Command) => void, format: 'plain' | 'ndjson'): Output {
  const out = lineWriter(process.stdout, () => send({ type: 'quit', force: false }));
  const unsubscribe = store.subscribe(format === 'ndjson' ? createNdjsonReporter(out) : createPlainReporter(out));
  return {
    ask: null,
    show() {},
    interrupt() {},
    async finished() {},
    close: unsubscribe,
  };
}

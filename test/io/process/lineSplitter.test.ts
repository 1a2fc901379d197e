import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../source/io/process/lineSplitter.js';

function split(chunks: string[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

/** Cut `text` at the given fractions into consecutive chunks. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let prev = 0;
  for (const p of points) {
    chunks.push(text.slice(prev, p));
    prev = p;
  }
  chunks.push(text.slice(prev));
  return chunks;
}

describe('LineSplitter', () => {
  it('gives back the lines however the stream is chunked, \\n or \\r\\n, last line with or without a newline', () => {
    const line = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '.'));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        (lines, crlf, finalNewline, at) => {
          const text = lines.map((l, i) => l + (i < lines.length - 1 || finalNewline ? (crlf[i] ? '\r\n' : '\n') : '')).join('');
          const expected = finalNewline || lines.at(-1) !== '' ? lines : lines.slice(0, -1);
          expect(split(cut(text, at))).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps empty lines and a lone \\r inside a line', () => {
    expect(split(['a\n\nb\r', 'c\n', '\r\n'])).toEqual(['a', '', 'b\rc', '']);
  });

  it('says nothing after end(), and end() twice flushes once', () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    s.push('tail');
    s.end();
    s.end();
    s.push('late\n');
    expect(out).toEqual(['tail']);
  });
});

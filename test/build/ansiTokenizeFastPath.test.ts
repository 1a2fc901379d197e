// The bundle's backport of ansi-tokenize 0.3's fast path (scripts/ansiTokenizeFastPath.mjs)
// must not change a single byte Ink writes: the patched module, bundled by esbuild
// as `npm run build` does, against the installed one, on random styled lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import * as original from '@alcalzone/ansi-tokenize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { ansiTokenizeFastPath } from '../../scripts/ansiTokenizeFastPath.mjs';

type Tokenizer = typeof original;
const render = (t: Tokenizer, line: string) => t.styledCharsToString(t.styledCharsFromTokens(t.tokenize(line)));

// SGR sequences Ink's chalk emits: colours, bright/background colours, bold, dim, inverse, underline, resets.
const SGR = ['\x1b[31m', '\x1b[39m', '\x1b[1m', '\x1b[22m', '\x1b[2m', '\x1b[7m', '\x1b[27m', '\x1b[4m', '\x1b[24m', '\x1b[90m', '\x1b[42m', '\x1b[49m', '\x1b[0m', '\x1b[38;5;208m'];
const piece = fc.oneof(fc.constantFrom(...SGR), fc.string({ maxLength: 6 }), fc.constantFrom(' ', '   ', '│', '›', '日本', '✓'));

describe('ansi-tokenize fast path (bundle plugin)', () => {
  let dir = '';
  let patched: Tokenizer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-fastpath-'));
    const outfile = path.join(dir, 'tokenize.mjs');
    await build({
      entryPoints: [path.join('node_modules', '@alcalzone', 'ansi-tokenize', 'build', 'index.js')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      plugins: [ansiTokenizeFastPath],
      logLevel: 'silent',
    });
    expect(fs.readFileSync(outfile, 'utf8')).toContain('isSameStyle');
    patched = (await import(pathToFileURL(outfile).href)) as Tokenizer;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders every styled line exactly as the original', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const line = pieces.join('');
        expect(render(patched, line)).toBe(render(original, line));
      }),
      { numRuns: 2000 },
    );
  });

  it('skips the diff between equally styled neighbours but keeps style changes', () => {
    const line = `\x1b[31mred\x1b[39m plain \x1b[1mbold\x1b[22m`;
    expect(render(patched, line)).toBe(render(original, line));
    expect(render(patched, line)).toContain('\x1b[31m');
  });
});

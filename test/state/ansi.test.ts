import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanLine, cleanLines, stripAnsi } from '../../source/state/ansi.js';

const ESC = '\u001b';

describe('stripAnsi', () => {
  it.each([
    ['colours', `${ESC}[1;31merror${ESC}[0m: boom`, 'error: boom'],
    ['256 and true colour', `${ESC}[38;5;196mred${ESC}[38;2;1;2;3m rgb${ESC}[m`, 'red rgb'],
    ['cursor moves and erase', `${ESC}[2K${ESC}[1Gloading${ESC}[?25l`, 'loading'],
    ['OSC hyperlink with BEL', `${ESC}]8;;https://x.y\u0007link${ESC}]8;;\u0007`, 'link'],
    ['OSC title with ST', `${ESC}]0;title${ESC}\\text`, 'text'],
    ['charset designation', `${ESC}(Bplain`, 'plain'],
    ['keypad mode', `${ESC}=${ESC}>ok`, 'ok'],
    ['8-bit CSI', '\u009b31mred\u009b0m', 'red'],
    ['DCS string', `${ESC}Pq#0;2;0;0;0${ESC}\\after`, 'after'],
  ])('%s', (_name, input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });

  it('leaves text without escapes alone (same string)', () => {
    const text = 'tokens/s: 123.4 [ok] ~ é 漢字';
    expect(stripAnsi(text)).toBe(text);
  });
});

describe('cleanLine', () => {
  it('keeps the last drawing of a line redrawn with \\r', () => {
    expect(cleanLine('Downloading  10%\rDownloading  55%\rDownloading 100%')).toBe('Downloading 100%');
    expect(cleanLine(`${ESC}[2K\rbatch 3/8 ${ESC}[32m████${ESC}[0m`)).toBe('batch 3/8 ████');
  });

  it('drops a trailing \\r (CRLF output) without losing the line', () => {
    expect(cleanLine('done\r')).toBe('done');
    expect(cleanLine('50%\r100%\r')).toBe('100%');
    expect(cleanLine('\r')).toBe('');
  });

  it('applies backspaces', () => {
    expect(cleanLine('abc\b\bXY')).toBe('aXY');
    expect(cleanLine('\b\bx')).toBe('x');
  });

  it('removes other control characters but keeps tabs', () => {
    expect(cleanLine('a\u0007b\u0000c\td\u007f')).toBe('abc\td');
  });

  it('splits chunks holding several lines', () => {
    expect(cleanLines('one\r\ntwo\nthree')).toEqual(['one', 'two', 'three']);
    expect(cleanLines('single')).toEqual(['single']);
  });

  it('never leaves an escape or control character, and cleaning twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (raw) => {
        const once = cleanLine(raw.replace(/\n/g, ''));
        expect(once).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
        expect(cleanLine(once)).toBe(once);
      }),
    );
  });

  it('leaves printable text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)), (text) => {
        expect(cleanLine(text)).toBe(text);
      }),
    );
  });
});

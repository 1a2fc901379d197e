// pythonJsonDumps against the real thing: python3's json.dumps(sort_keys=True)
// over generated JSON-like values (one python3 process for a whole sample),
// and a few fixed examples that need no Python.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonFloatRepr, pythonJsonDumps } from '../../source/plan/pythonJson.js';

// JSON cannot carry NaN / ±Infinity: they travel as {MARK: "NaN"} and Python turns them back into floats.
const MARK = '\u0000float';

// Python reads a value the way our serializer sees it: every number is a
// double, and an integral one is an int (the documented gaps: JavaScript
// cannot tell 1.0 from 1, nor hold an int past 2**53 exactly).
const DUMPS = String.raw`
import json, sys
def number(text):
    f = float(text)
    return int(f) if f.is_integer() else f
def marked(d):
    return float(d[MARK]) if list(d) == [MARK] else d
for line in sys.stdin:
    print(json.dumps(json.loads(line, parse_float=number, parse_int=number, object_hook=marked), sort_keys=True))
`.replaceAll('MARK', JSON.stringify(MARK));

const REPR = String.raw`
import json, sys
for line in sys.stdin:
    print(json.dumps(float(line)))
`;

function python(script: string, lines: string[]): string[] {
  const out = execFileSync('python3', ['-c', script], {
    input: lines.map((l) => `${l}\n`).join(''),
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split('\n').slice(0, lines.length);
}

const transport = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [MARK]: String(v) } : v));

// Strings with every kind of character: printable ASCII, control characters,
// the rest of the BMP (lone surrogates included), and beyond U+FFFF.
const anyChar = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x7f, max: 0xffff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }) },
  )
  .map((cp) => String.fromCodePoint(cp));
const tricky = fc.constantFrom('"', '\\', '\u007f', '\u2028', '\ud800', '\udfff', '\uff5e', '\u{1f600}');
const unit = fc.oneof({ weight: 6, arbitrary: anyChar }, { weight: 1, arbitrary: tricky });
const text = fc.string({ unit, maxLength: 6 });
const number = fc.oneof(
  fc.integer(),
  fc.double(), // NaN, ±Infinity, -0, subnormals, huge integral doubles
  fc.integer().map((n) => n / 1000),
  fc.constantFrom(0.1, 1e-5, 1e-7, 1e15, 1e16, 1e21, 5e-324, Number.MAX_VALUE, 2 ** 53),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text.filter((k) => k !== MARK), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('pythonJsonDumps', () => {
  it('writes what python3 json.dumps(v, sort_keys=True) writes (property, against python3)', () => {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const values = fc.sample(value, { numRuns: 1500, seed });
    const expected = python(DUMPS, values.map(transport));
    values.forEach((v, i) => {
      expect(pythonJsonDumps(v), `seed ${seed}, value ${transport(v)}`).toBe(expected[i]);
    });
  });

  it('a fixed example: spacing, key order, escapes, numbers', () => {
    const value = {
      b: [1, 2.5, 1e-5, 1e16, NaN, Infinity, -Infinity, -0],
      a: 'é😀\n"\\\u007f',
      c: null,
      d: true,
      f: [],
      e: {},
    };
    expect(pythonJsonDumps(value)).toBe(
      '{"a": "\\u00e9\\ud83d\\ude00\\n\\"\\\\\\u007f", "b": [1, 2.5, 1e-05, 10000000000000000, NaN, Infinity, -Infinity, 0], ' +
        '"c": null, "d": true, "e": {}, "f": []}',
    );
  });

  it('sorts keys by code point, as Python does, not by UTF-16 unit', () => {
    // U+FF5E sorts before U+1F600 in Python; as UTF-16 units (0xFF5E vs 0xD83D) it would be after.
    expect(pythonJsonDumps({ '😀': 1, '～': 2 })).toBe('{"\\uff5e": 2, "\\ud83d\\ude00": 1}');
  });

  it('refuses what json.dumps cannot write', () => {
    expect(() => pythonJsonDumps({ when: new Date(0) })).toThrow(TypeError);
  });
});

describe('pythonFloatRepr', () => {
  it.each([
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1e-5, '1e-05'],
    [1e-4, '0.0001'],
    [1, '1.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [123.456, '123.456'],
    [-2.5e-7, '-2.5e-07'],
    [123456789012345680, '1.2345678901234568e+17'],
    [5e-324, '5e-324'],
    [1.5e300, '1.5e+300'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ])('%s → %s', (x, repr) => {
    expect(pythonFloatRepr(x)).toBe(repr);
  });

  it("is Python's float repr for any double (property, against python3)", () => {
    const seed = Date.now() ^ (Math.random() * 0x7fffffff);
    const doubles = fc.sample(fc.double(), { numRuns: 3000, seed });
    const expected = python(REPR, doubles.map((x) => (Object.is(x, -0) ? '-0' : String(x))));
    doubles.forEach((x, i) => expect(pythonFloatRepr(x), `seed ${seed}, x ${x}`).toBe(expected[i]));
  });
});

// Python's `json.dumps(value, sort_keys=True)`, byte for byte, so that a
// config's hash is the one llenergymeasure writes into its manifest
// (LEM-FORMATS.md, "Manifest"): separators ", " and ": ", ensure_ascii,
// Python's float repr, NaN / Infinity, keys sorted by code point.
//
// Known gap: JavaScript has one number type, so 1.0 and 1 are the same value
// here. Every integral number is written as a Python int ("1", never "1.0");
// a config whose YAML says `1.0` hashes differently from llenergymeasure's.
// Likewise -0.0 is written "0", and an int past 2**53, which JavaScript reads
// as the nearest double, is written as that double's exact value.

/** `json.dumps(value, sort_keys=True)` as Python 3 writes it. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : pythonFloatRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) {
    // As JSON.stringify does: a hole or undefined in a list is null.
    return `[${Array.from(value, (item: unknown) => pythonJsonDumps(item ?? null)).join(', ')}]`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined) // as JSON.stringify does
      .sort(byCodePoint);
    return `{${keys.map((key) => `${pythonString(key)}: ${pythonJsonDumps(value[key])}`).join(', ')}}`;
  }
  throw new TypeError(`json.dumps cannot write a ${typeof value} (${Object.prototype.toString.call(value)})`);
}

/**
 * `float.__repr__` as json.dumps uses it: the shortest digits that read back
 * as the same double (which toExponential() gives too), in fixed notation
 * when the exponent is in [-4, 16), else `1e-05` / `1.5e+16`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  return `${sign}${whole}.${digits.slice(e + 1) || '0'}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * ensure_ascii: everything outside printable ASCII is `\uXXXX` (lower-case
 * hex). The regex has no `u` flag, so it walks UTF-16 code units: a character
 * beyond U+FFFF comes out as its surrogate pair, as in Python.
 */
function pythonString(text: string): string {
  const escaped = text.replace(/["\\]|[^ -~]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units (differs past U+FFFF). */
function byCodePoint(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0; // the same order, faster
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

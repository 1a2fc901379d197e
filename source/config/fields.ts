// Building blocks of the schemas. Each one checks one kind of value and, when
// it is wrong, says what was expected and what was found, in the user's
// terms: `expected an integer from 1 to 20, got 0`. zod's own messages
// ("Invalid input: expected number, received string") are never shown.
import * as z from 'zod';
import { BACKENDS, type Backend } from './types.js';
import { parseGpuSpec, type GpuSpec } from './gpuList.js';

/** A value as it appears in a message: strings quoted, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** A leaf check: `accept` returns the value to keep, or undefined when the value is wrong. */
function leaf<T>(expected: string, accept: (value: unknown) => T | undefined, wrong?: (value: unknown) => string) {
  return z.any().transform((value, ctx): T => {
    const kept = value === undefined ? undefined : accept(value);
    if (kept !== undefined) return kept;
    ctx.addIssue({
      code: 'custom',
      input: value,
      message:
        value === undefined
          ? `missing: expected ${expected}`
          : (wrong?.(value) ?? `expected ${expected}, got ${describeValue(value)}`),
    });
    return z.NEVER;
  });
}

const range = (min: number, max?: number) => (max === undefined ? `>= ${min}` : `from ${min} to ${max}`);

export function integer(min: number, max?: number) {
  const within = (v: unknown): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && (max === undefined || v <= max);
  return leaf<number>(`an integer ${range(min, max)}`, (v) => (within(v) ? v : undefined));
}

export function number(min: number, max?: number) {
  const within = (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && (max === undefined || v <= max);
  return leaf<number>(`a number ${range(min, max)}`, (v) => (within(v) ? v : undefined));
}

export function nonEmptyString() {
  return leaf<string>('a non-empty string', (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined));
}

/**
 * A name shown on one line and written into generated files (campaign_name,
 * config_name): a newline or another control character in it could forge
 * lines of a generated YAML file or of plain output, so it is refused.
 */
export function displayName() {
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/;
  return leaf<string>(
    'a non-empty string',
    (v) => (typeof v === 'string' && v.trim() !== '' && !control.test(v) ? v : undefined),
    (v) =>
      typeof v === 'string' && control.test(v)
        ? `expected a name without newlines or other control characters, got ${describeValue(v)}`
        : `expected a non-empty string, got ${describeValue(v)}`,
  );
}

/**
 * true or false. PyYAML (YAML 1.1), which reads these files for
 * llenergymeasure, also takes yes/no/on/off; we read YAML 1.2, where those
 * are strings, so we accept them here to read the same files the same way.
 */
export function boolean() {
  const words = new Map([['true', true], ['false', false], ['yes', true], ['no', false], ['on', true], ['off', false]]);
  return leaf<boolean>('true or false', (v) =>
    typeof v === 'boolean' ? v : typeof v === 'string' ? words.get(v.toLowerCase()) : undefined,
  );
}

export function oneOf<const T extends string>(values: readonly T[]) {
  return leaf<T>(`one of ${values.join(', ')}`, (v) => (values.includes(v as T) ? (v as T) : undefined));
}

export function backendName() {
  const expected = `one of ${BACKENDS.join(', ')}`;
  return leaf<Backend>(
    `a backend (${expected})`,
    (v) => (BACKENDS.includes(v as Backend) ? (v as Backend) : undefined),
    (v) => (typeof v === 'string' ? `unknown backend "${v}": expected ${expected}` : `expected a backend (${expected}), got ${describeValue(v)}`),
  );
}

/** `<N>h` or `<N>m` (the only forms llenergymeasure's daemon takes). */
export function duration() {
  return leaf<string>('a duration like 24h or 30m', (v) => (typeof v === 'string' && /^[1-9]\d*[hm]$/.test(v) ? v : undefined));
}

/** A schema version like "3.0.0"; an unquoted `3.0` (a YAML number) is read as its text. */
export function versionText() {
  return leaf<string>('a version like "3.0.0"', (v) =>
    typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined,
  );
}

/** `all` or a list of GPU indices/UUIDs (config/gpuList.ts). */
export function gpuSpec() {
  return leaf<GpuSpec>('all, or GPU indices or UUIDs like 0,1,3', (v) => {
    const parsed = parseGpuSpec(v);
    return 'spec' in parsed ? parsed.spec : undefined;
  }, (v) => {
    const parsed = parseGpuSpec(v);
    return 'error' in parsed ? parsed.error : `expected all, or GPU indices or UUIDs, got ${describeValue(v)}`;
  });
}

/**
 * Slurm's --gres: `gpu`, `gpu:2`, `gpu:a100:2`, or a comma list of them
 * (`gpu:1,shard:2`). `none` or null: no --gres at all, kept as ''.
 */
export function slurmGres() {
  // name[:type][:count]: a type never starts with '-' (gpu:-1 is no count), a count is 1 or more.
  const item = /^[A-Za-z][\w.-]*(?::[\w.][\w.-]*)?(?::[1-9]\d*)?$/;
  return leaf<string>('a generic resource as Slurm takes it, e.g. gpu:1 or gpu:a100:2 (or none for no --gres)', (v) => {
    if (v === null || v === 'none') return '';
    return typeof v === 'string' && v.split(',').every((part) => item.test(part)) ? v : undefined;
  });
}

const SLURM_TIME_FORMATS = 'minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes or days-hours:minutes:seconds';

/** Slurm's --time, kept as its text; a YAML integer is minutes (`30` → "30"). */
export function slurmTimeLimit() {
  const form = /^(?:\d+(?::\d+){0,2}|\d+-\d+(?::\d+){0,2})$/;
  return leaf<string>(`a Slurm time limit (${SLURM_TIME_FORMATS}, e.g. 30, 1:00:00 or 1-12:00:00)`, (v) => {
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? String(v) : undefined;
    return typeof v === 'string' && form.test(v) ? v : undefined;
  });
}

/** HH:MM, 00:00 to 23:59. */
export function clockTime() {
  return leaf<string>('a time HH:MM from 00:00 to 23:59', (v) =>
    typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? v : undefined,
  );
}

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export function dayName() {
  return leaf<string>(`a day (one of ${DAYS.join(', ')})`, (v) =>
    typeof v === 'string' && (DAYS as readonly string[]).includes(v.toLowerCase()) ? v.toLowerCase() : undefined,
  );
}

/** A plain file name (the manifest's): no folder part. */
export function fileName() {
  return leaf<string>('a file name without a folder', (v) =>
    typeof v === 'string' && v.trim() !== '' && !/[/\\]/.test(v) && v !== '.' && v !== '..' ? v : undefined,
  );
}

/** Any string, even an empty one (for values that are checked later, with a warning rather than an error). */
export function anyString() {
  return leaf<string>('a string', (v) => (typeof v === 'string' ? v : undefined));
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/\S+$/.test(value);
}

/** A mapping whose content passes through untouched (e.g. `overrides`). */
export function anyMapping() {
  return leaf<Record<string, unknown>>('a mapping', (v) => (isPlainMapping(v) ? v : undefined));
}

/** A list of any values that must not be empty (grid axis values). */
export function nonEmptyValues() {
  return leaf<unknown[]>('a non-empty list of values', (v) => (Array.isArray(v) && v.length > 0 ? v : undefined));
}

/** `example` is shown when the value is not a list at all: `expected a list of arguments, e.g. [--account, proj1]`. */
export function list<T extends z.ZodType>(item: T, what: string, options: { nonEmpty?: boolean; example?: string } = {}) {
  const expected = `${options.nonEmpty ? 'a non-empty' : 'a'} list of ${what}`;
  const shown = options.example ? `${expected}, e.g. ${options.example}` : expected;
  const schema = z.array(item, {
    error: (issue) =>
      issue.input === undefined ? `missing: expected ${shown}` : `expected ${shown}, got ${describeValue(issue.input)}`,
  });
  return options.nonEmpty ? schema.min(1, { error: `expected ${expected}, got an empty list` }) : schema;
}

/** A mapping with known fields; unknown ones are dropped here and reported as warnings (unknownKeys.ts). */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape, {
    error: (issue) => (issue.code === 'invalid_type' ? `expected a mapping, got ${describeValue(issue.input)}` : undefined),
  });
}

/**
 * A mapping with free keys (axis names, backends): `key` checks each key
 * (undefined = fine, else the message, reported at the key), `value` each value.
 */
export function mappingOf<V extends z.ZodType>(value: V, key?: (name: string) => string | undefined) {
  return z.any().transform((input, ctx): Record<string, z.output<V>> => {
    if (!isPlainMapping(input)) {
      ctx.addIssue({ code: 'custom', input, message: `expected a mapping, got ${describeValue(input)}` });
      return z.NEVER;
    }
    const out: Record<string, z.output<V>> = {};
    for (const [name, raw] of Object.entries(input)) {
      const keyProblem = key?.(name);
      if (keyProblem) ctx.addIssue({ code: 'custom', input: name, path: [name], message: keyProblem, params: { at: 'key' } });
      const result = value.safeParse(raw);
      if (result.success) out[name] = result.data;
      else
        for (const issue of result.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: [name, ...issue.path], params: paramsOf(issue) });
    }
    return out;
  });
}

function paramsOf(issue: z.core.$ZodIssue): Record<string, unknown> | undefined {
  return 'params' in issue ? (issue.params as Record<string, unknown> | undefined) : undefined;
}

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { createHash } from 'node:crypto';

/** The campaign's short id: the first 8 hex chars of the sha256 of its name. */
export function campaignId(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
}

/** A config's short hash: the first 12 hex chars of the md5 of its canonical JSON. */
export function configHash(config: unknown): string {
  return createHash('md5').update(canonicalJson(config), 'utf8').digest('hex').slice(0, 12);
}

/** JSON with the keys of every object sorted, so that key order does not change the text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An experiment id from its 1-based position in execution order: 1 → "0001"; wider past 9999. */
export function formatExpId(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`experiment number must be a positive integer, got ${n}`);
  return String(n).padStart(4, '0');
}

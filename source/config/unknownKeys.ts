// Keys a schema does not know are dropped by zod; we still want to tell the
// user about them (a typo like `cycle:` would otherwise silently do nothing),
// as warnings, not errors: the same files feed llenergymeasure, which may
// know keys we do not. This walks the raw value alongside the schema.
import * as z from 'zod';
import { isPlainMapping } from './fields.js';

export type KeyPath = (string | number)[];

export interface UnknownKey {
  path: KeyPath;
  /** The keys that mapping does know (to suggest the one a typo meant). */
  known: string[];
}

export function findUnknownKeys(schema: z.ZodType, value: unknown, at: KeyPath = []): UnknownKey[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject && isPlainMapping(value)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    return Object.entries(value).flatMap(([key, child]) =>
      Object.hasOwn(shape, key) ? findUnknownKeys(shape[key]!, child, [...at, key]) : [{ path: [...at, key], known }],
    );
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => findUnknownKeys(inner.element as z.ZodType, item, [...at, i]));
  }
  return [];
}

/** Looks through optional / default / prefault / nullable wrappers and the input side of transforms. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable
    )
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/**
 * Sets `value` at a dotted key (`pytorch.batch_size`), creating objects on the
 * way (a non-object in the way is replaced). Keys are own data properties, so
 * a key such as `__proto__` is stored as a key, never followed to a prototype.
 */
export function setDotted(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  const last = parts.pop() as string;
  let node = target;
  for (const part of parts) {
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) define(node, part, {});
    node = node[part] as Record<string, unknown>;
  }
  define(node, last, value);
}

function define(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

// Where something is in a YAML file, as messages show it (1-based line and
// column): a field found by its path in the parsed document, or an offset in
// text that yaml has not seen yet.
import { isAlias, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';

export type FieldPath = readonly PropertyKey[];
export interface Position {
  line: number;
  column: number;
}

/** Offset of a field's value (or key); for a missing field, of the nearest enclosing node that exists. */
export function locateOffset(doc: Document.Parsed, fieldPath: FieldPath, where: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const [i, segment] of fieldPath.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = i === fieldPath.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isNode(p.key) && keyText(p.key) === String(segment));
      if (!pair) break;
      const keyOffset = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      const valueOffset = isNode(pair.value) && pair.value.range ? pair.value.range[0] : undefined;
      // An empty value (`cycles:`) has no text of its own: point at the key.
      const empty = isScalar(pair.value) && pair.value.value === null && pair.value.source === '';
      offset = (last && where === 'key') || empty || valueOffset === undefined ? (keyOffset ?? offset) : valueOffset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/** A mapping key as the text a field path names it by. */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** 1-based line and column of an offset, for errors found before yaml's LineCounter has seen the text. */
export function positionIn(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

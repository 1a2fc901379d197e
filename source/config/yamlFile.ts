// The one reader for every YAML file lem-tui reads. Files come from users and
// from whoever wrote them, so it refuses cleanly (a ConfigError with
// file:line:col) what would otherwise crash, hang or mislead: missing files,
// folders, huge files, bytes that are not UTF-8, tabs, duplicate keys, syntax
// errors, alias bombs, several documents, and a top level that is not a
// mapping. It keeps the parsed Document so that schema errors found later can
// point at the line and column of the field.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { ConfigError, formatFieldPath, showPath, sortIssues, type ConfigIssue } from './errors.js';
import { describeValue } from './fields.js';

export const MAX_YAML_BYTES = 1024 * 1024;
/** Alias expansions allowed while building the value (yaml's own guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Flow collections (`[`, `{`) nested deeper than this are refused before parsing (see tooDeep). */
export const MAX_FLOW_NESTING = 100;
const NESTED_TOO_DEEPLY = 'nested too deeply to read';

export type FieldPath = readonly PropertyKey[];
export interface Position {
  line: number;
  column: number;
}

export interface YamlFile {
  absPath: string;
  /** As shown in messages: relative to the cwd when inside it. */
  displayPath: string;
  bytes: Buffer;
  /** The top-level mapping ({} for an empty file read with allowEmpty). */
  value: Record<string, unknown>;
  /** yaml's own warnings (e.g. an unknown tag), as issues. */
  warnings: ConfigIssue[];
  /**
   * Where a field is (1-based): its value, or its key with at = 'key'. When a
   * key is missing, the nearest enclosing mapping or list that exists.
   */
  locate(fieldPath: FieldPath, at?: 'key' | 'value'): Position;
  /** An issue in this file at the field's place. */
  issueAt(fieldPath: FieldPath, message: string, at?: 'key' | 'value'): ConfigIssue;
}

export interface ReadYamlOptions {
  cwd: string;
  maxBytes?: number;
  /** Read an empty (or comments-only) file as {} instead of refusing it. */
  allowEmpty?: boolean;
}

export async function readYamlFile(filePath: string, options: ReadYamlOptions): Promise<YamlFile> {
  const absPath = path.resolve(options.cwd, filePath);
  const displayPath = showPath(absPath, options.cwd);
  const fail = (message: string, position?: Position): never => {
    throw new ConfigError([{ file: displayPath, ...toLineColumn(position), message }]);
  };

  const bytes = await readBounded(absPath, options.maxBytes ?? MAX_YAML_BYTES, fail);
  const text = decodeUtf8(bytes, fail);
  const deep = tooDeep(text);
  if (deep !== undefined) fail(`nested deeper than ${MAX_FLOW_NESTING} levels: refusing the file`, positionIn(text, deep));

  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issue = (offset: number, message: string): ConfigIssue => ({
    file: displayPath,
    ...toLineColumn(at(offset)),
    message,
  });

  // YAML 1.2 core schema (so `03:00` and `yes` stay strings), with `<<` merge
  // keys because PyYAML, which reads the same files for llenergymeasure,
  // supports them. Duplicate keys are found below, with a better message.
  const docs = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false });
  const empty = (): YamlFile => {
    if (!options.allowEmpty) fail(text.trim() === '' ? 'file is empty' : 'file has only comments, expected a mapping');
    return makeFile({});
  };
  const makeFile = (value: Record<string, unknown>, doc?: Document.Parsed): YamlFile => ({
    absPath,
    displayPath,
    bytes,
    value,
    warnings: (doc?.warnings ?? []).map((w) => issue(w.pos[0], firstLine(w.message))),
    locate: (fieldPath, where = 'value') => (doc ? at(locateOffset(doc, fieldPath, where)) : { line: 1, column: 1 }),
    issueAt(fieldPath, message, where = 'value') {
      const position = this.locate(fieldPath, where);
      return { file: displayPath, line: position.line, column: position.column, ...pathPart(fieldPath), message };
    },
  });

  if (docs.length === 0) return empty();
  const issues: ConfigIssue[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const message =
        error.code === 'TAB_AS_INDENT'
          ? 'tab used for indentation: YAML indents with spaces'
          : /call stack/i.test(error.message)
            ? NESTED_TOO_DEEPLY
            : `invalid YAML: ${firstLine(error.message)}`;
      // A stack overflow is reported at every level it unwinds through: once is enough.
      if (message === NESTED_TOO_DEEPLY && issues.some((i) => i.message === message)) continue;
      issues.push(issue(error.pos[0], message));
    }
  }
  const doc = docs[0]!;
  const second = docs[1];
  if (second) issues.push(issue(second.range[0], 'a second YAML document starts here: expected exactly one'));
  issues.push(...findDuplicateKeys(doc, issue, (offset) => at(offset).line), ...findBadAliases(doc, issue));
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return empty();
  if (!isMap(contents)) {
    const found = isSeq(contents) ? 'a list' : describeValue(isScalar(contents) ? contents.value : contents);
    fail(`expected a mapping at the top level, got ${found}`, at(contents.range?.[0] ?? 0));
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias count/i.test(message)) {
      fail(
        `more than ${MAX_ALIAS_COUNT} alias expansions: refusing a possible alias bomb`,
        at(firstAliasOffset(doc)),
      );
    }
    fail(`invalid YAML: ${firstLine(message)}`);
  }
  return makeFile(value as Record<string, unknown>, doc);
}

/** Reads at most maxBytes; stats first so a big regular file is refused without reading it. */
async function readBounded(absPath: string, maxBytes: number, fail: (message: string) => never): Promise<Buffer> {
  const tooBig = (size?: number) =>
    fail(`file is ${size === undefined ? 'larger than that' : formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`);
  let handle;
  try {
    const info = await stat(absPath);
    if (info.isDirectory()) fail('is a directory, expected a YAML file');
    if (info.isFile() && info.size > maxBytes) tooBig(info.size);
    handle = await open(absPath, 'r');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') fail('file not found');
    if (code === 'EACCES' || code === 'EPERM') fail('permission denied');
    fail(`cannot read the file: ${(error as Error).message}`);
  }
  try {
    // Read maxBytes + 1 to notice a file (or pipe) that is larger than its stat said.
    const buffer = Buffer.alloc(maxBytes + 1);
    let total = 0;
    while (total < buffer.length) {
      const { bytesRead } = await handle!.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) tooBig();
    return buffer.subarray(0, total);
  } finally {
    await handle!.close();
  }
}

/**
 * yaml parses flow collections recursively: a few hundred thousand `[` take
 * seconds and end in a stack overflow. Counting brackets outside comments is
 * rough (a bracket inside a string counts too), hence a limit no real file nears.
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_NESTING) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** 1-based line and column of an offset, for errors found before yaml's LineCounter has seen the text. */
function positionIn(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Decodes strictly, so a binary or Latin-1 file is refused at its first bad byte instead of read as U+FFFD. */
function decodeUtf8(bytes: Buffer, fail: (message: string, position?: Position) => never): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const position = positionIn(before, before.length);
    const byte = bytes[offset] ?? 0;
    return fail(`not UTF-8 text (byte 0x${byte.toString(16).padStart(2, '0')}): save the file as UTF-8`, position);
  }
}

/** Offset of the first byte of the first invalid UTF-8 sequence (binary search on valid prefixes). */
function firstInvalidUtf8(bytes: Buffer): number {
  const validPrefix = (n: number): boolean => {
    try {
      // stream: an incomplete sequence at the end of the prefix is not an error yet.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0; // valid
  let high = bytes.length; // invalid (the whole buffer failed to decode)
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (validPrefix(mid)) low = mid;
    else high = mid;
  }
  // bytes[low] breaks the sequence it belongs to; report where that sequence starts.
  for (let j = low - 1; j >= Math.max(0, low - 3); j--) {
    const b = bytes[j]!;
    if ((b & 0xc0) === 0xc0) return j; // a lead byte whose sequence is cut short
    if ((b & 0xc0) !== 0x80) break;
  }
  return low;
}

function findDuplicateKeys(
  doc: Document.Parsed,
  issue: (offset: number, message: string) => ConfigIssue,
  lineAt: (offset: number) => number,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isNode(pair.key)) continue;
        const key = keyText(pair.key);
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, offset);
        else issues.push(issue(offset, `duplicate key "${key}" (first at line ${lineAt(first)})`));
      }
    },
  });
  return issues;
}

/** An alias without an anchor before it, or inside the node it names (a cycle), cannot be built into plain data. */
function findBadAliases(doc: Document.Parsed, issue: (offset: number, message: string) => ConfigIssue): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const anchors = new Set<string>();
  visit(doc, (_, node, ancestors) => {
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      if (!anchors.has(node.source)) issues.push(issue(offset, `alias *${node.source} has no anchor &${node.source} before it`));
      else if (ancestors.some((a) => isNode(a) && a.anchor === node.source))
        issues.push(issue(offset, `alias *${node.source} is inside the node it refers to (a cycle)`));
    } else if (isNode(node) && node.anchor) anchors.add(node.anchor);
  });
  return issues;
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** Offset of a field's value (or key); for a missing field, of the nearest enclosing node that exists. */
function locateOffset(doc: Document.Parsed, fieldPath: FieldPath, where: 'key' | 'value'): number {
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

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function toLineColumn(position?: Position): { line?: number; column?: number } {
  return position ? { line: position.line, column: position.column } : {};
}

function pathPart(fieldPath: FieldPath): { path?: string } {
  return fieldPath.length > 0 ? { path: formatFieldPath(fieldPath) } : {};
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 * 1024, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${Number.isInteger(n / size) ? n / size : (n / size).toFixed(1)} ${unit}`;
  }
  return `${n} bytes`;
}

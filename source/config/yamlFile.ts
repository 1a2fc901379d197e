// The one reader for every YAML file lem-tui reads. Files come from users and
// from whoever wrote them, so it refuses cleanly (a ConfigError with
// file:line:col) what would otherwise crash, hang or mislead: missing files,
// folders, huge files, bytes that are not UTF-8, tabs, duplicate keys, syntax
// errors, alias bombs, several documents, and a top level that is not a
// mapping. It keeps the parsed Document so that schema errors found later can
// point at the line and column of the field.
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { readBounded } from './boundedRead.js';
import { ConfigError, formatFieldPath, showPath, sortIssues, type ConfigIssue } from './errors.js';
import { describeValue } from './fields.js';
import { decodeUtf8 } from './strictUtf8.js';
import { locateOffset, positionIn, type FieldPath, type Position } from './yamlPosition.js';
import { documentIssues, firstAliasOffset, firstLine, MAX_FLOW_NESTING, tooDeep, type IssueAt } from './yamlProblems.js';

export { formatBytes } from './boundedRead.js';
export type { FieldPath, Position } from './yamlPosition.js';
export { MAX_FLOW_NESTING } from './yamlProblems.js';

export const MAX_YAML_BYTES = 1024 * 1024;
/** Alias expansions allowed while building the value (yaml's own guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

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

/** What each step of reading one file needs: the file, and how to point at a place in it. */
interface Reading {
  absPath: string;
  displayPath: string;
  bytes: Buffer;
  at(offset: number): Position;
  issue: IssueAt;
  fail(message: string, position?: Position): never;
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
  const docs = parseDocuments(text, lineCounter);
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issue: IssueAt = (offset, message) => ({ file: displayPath, ...toLineColumn(at(offset)), message });
  const reading: Reading = { absPath, displayPath, bytes, at, issue, fail };
  const empty = (): YamlFile => {
    if (!options.allowEmpty) fail(text.trim() === '' ? 'file is empty' : 'file has only comments, expected a mapping');
    return makeFile(reading, {});
  };

  if (docs.length === 0) return empty();
  const issues = documentIssues(docs, issue, (offset) => at(offset).line);
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));
  const doc = docs[0]!;
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return empty();
  if (!isMap(contents)) {
    const found = isSeq(contents) ? 'a list' : describeValue(isScalar(contents) ? contents.value : contents);
    fail(`expected a mapping at the top level, got ${found}`, at(contents.range?.[0] ?? 0));
  }
  return makeFile(reading, buildValue(doc, reading), doc);
}

/**
 * YAML 1.2 core schema (so `03:00` and `yes` stay strings), with `<<` merge
 * keys because PyYAML, which reads the same files for llenergymeasure,
 * supports them. Duplicate keys are found later (documentIssues), with a
 * better message.
 */
function parseDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] {
  return parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false });
}

/** The document as plain data, with yaml's guard against alias bombs. */
function buildValue(doc: Document.Parsed, reading: Reading): Record<string, unknown> {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias count/i.test(message)) {
      reading.fail(
        `more than ${MAX_ALIAS_COUNT} alias expansions: refusing a possible alias bomb`,
        reading.at(firstAliasOffset(doc)),
      );
    }
    reading.fail(`invalid YAML: ${firstLine(message)}`);
  }
  return value as Record<string, unknown>;
}

/** The file as read; without a document (an empty file) every field is at 1:1. */
function makeFile(reading: Reading, value: Record<string, unknown>, doc?: Document.Parsed): YamlFile {
  const { absPath, displayPath, bytes, at, issue } = reading;
  return {
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
  };
}

function toLineColumn(position?: Position): { line?: number; column?: number } {
  return position ? { line: position.line, column: position.column } : {};
}

function pathPart(fieldPath: FieldPath): { path?: string } {
  return fieldPath.length > 0 ? { path: formatFieldPath(fieldPath) } : {};
}

/** Where fields of the file are, as issues place them (without a message). */
export function locatorOf(file: YamlFile): (fieldPath: FieldPath) => Omit<ConfigIssue, 'message'> {
  return (fieldPath) => {
    const { message: _message, ...place } = file.issueAt(fieldPath, '');
    return place;
  };
}

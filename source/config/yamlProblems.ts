// What makes a YAML file unreadable for lem-tui, found before its value is
// built: nesting that would overflow yaml's parser, yaml's own errors (said
// plainly), a second document, duplicate keys, and aliases that cannot become
// plain data. Every problem is reported, not just the first.
import { isAlias, isNode, visit, type Document } from 'yaml';
import type { ConfigIssue } from './errors.js';
import { keyText } from './yamlPosition.js';

/** Flow collections (`[`, `{`) nested deeper than this are refused before parsing (see tooDeep). */
export const MAX_FLOW_NESTING = 100;
const NESTED_TOO_DEEPLY = 'nested too deeply to read';

/** An issue at an offset of the file's text. */
export type IssueAt = (offset: number, message: string) => ConfigIssue;

/**
 * yaml parses flow collections recursively: a few hundred thousand `[` take
 * seconds and end in a stack overflow. Counting brackets outside comments is
 * rough (a bracket inside a string counts too), hence a limit no real file nears.
 */
export function tooDeep(text: string): number | undefined {
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

/** Every problem in the parsed documents (the first one is the file's, and the only one allowed). */
export function documentIssues(docs: Document.Parsed[], issue: IssueAt, lineAt: (offset: number) => number): ConfigIssue[] {
  const issues = syntaxIssues(docs, issue);
  const doc = docs[0]!;
  const second = docs[1];
  if (second) issues.push(issue(second.range[0], 'a second YAML document starts here: expected exactly one'));
  issues.push(...findDuplicateKeys(doc, issue, lineAt), ...findBadAliases(doc, issue));
  return issues;
}

function syntaxIssues(docs: Document.Parsed[], issue: IssueAt): ConfigIssue[] {
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
  return issues;
}

function findDuplicateKeys(doc: Document.Parsed, issue: IssueAt, lineAt: (offset: number) => number): ConfigIssue[] {
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
function findBadAliases(doc: Document.Parsed, issue: IssueAt): ConfigIssue[] {
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

/** Where an alias bomb starts, for its message: the first alias. */
export function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** yaml's messages carry a code excerpt after the first line; ours point at line:col instead. */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

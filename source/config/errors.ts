// Errors in the files (and flags) a user gives us. Every problem is a
// ConfigIssue with the place it was found, so that the CLI can print all of
// them at once, one line each (`campaign.yaml:12:11 execution.cycles: ...`),
// and exit 2 without a stack trace.
import path from 'node:path';

export interface ConfigIssue {
  /** The file as shown to the user (relative to the cwd when inside it), or "command line". */
  file: string;
  line?: number; // 1-based
  column?: number; // 1-based
  /** Dotted field path: `execution.cycles`, `configs[2]`. */
  path?: string;
  message: string;
  /**
   * For an issue inside an experiment config: where the campaign names that
   * file, since the config's own path alone does not say which campaign
   * entry (or which campaign) led to it.
   */
  referencedFrom?: IssuePlace;
}

/** Where something is, without what is wrong with it. */
export type IssuePlace = Omit<ConfigIssue, 'message' | 'referencedFrom'>;

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  /** Warnings found in the same files (an unknown key may explain an error): print them too. */
  readonly warnings: ConfigIssue[];

  constructor(issues: ConfigIssue[], warnings: ConfigIssue[] = []) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    this.warnings = warnings;
  }
}

/**
 * `file:line:col path: message`, leaving out the parts that are unknown;
 * then ` (referenced from campaign.yaml:4:5 configs[1])` when it has one.
 */
export function formatIssue(issue: ConfigIssue): string {
  const text = issue.path ? `${formatPlace(issue)} ${issue.path}: ${issue.message}` : `${formatPlace(issue)}: ${issue.message}`;
  const from = issue.referencedFrom;
  if (!from) return text;
  return `${text} (referenced from ${formatPlace(from)}${from.path ? ` ${from.path}` : ''})`;
}

/** `file:line:col`, leaving out the parts that are unknown. */
function formatPlace(place: IssuePlace): string {
  if (place.line === undefined) return place.file;
  return place.column === undefined ? `${place.file}:${place.line}` : `${place.file}:${place.line}:${place.column}`;
}

/** A path as the user should see it: relative to the cwd when inside it, else absolute. */
export function showPath(absPath: string, cwd: string): string {
  const relative = path.relative(cwd, absPath);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? absPath : relative;
}

/** `execution.cycles`, `configs[2]`, `overrides["pytorch.batch_size"]`. */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** `containerStrategy` → `--container-strategy`, as the user typed it. */
export function describeFlag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** In file order (issues without a line first), so a user reads them top to bottom. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

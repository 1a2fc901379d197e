// Runs a zod schema over a YAML file's value and turns what it finds into
// issues placed at file:line:col: every error (not just the first) and a
// warning for every key the schema does not know.
import type { z } from 'zod';
import { sortIssues, type ConfigIssue } from './errors.js';
import { findUnknownKeys } from './unknownKeys.js';
import type { YamlFile } from './yamlFile.js';

export interface SchemaCheck<T> {
  /** The validated value, when there were no errors. */
  data?: T;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

export function checkSchema<S extends z.ZodType>(schema: S, file: YamlFile): SchemaCheck<z.output<S>> {
  const result = schema.safeParse(file.value);
  const errors = result.success
    ? []
    : result.error.issues.map((issue) => {
        const at = 'params' in issue && issue.params?.at === 'key' ? 'key' : 'value';
        return file.issueAt(issue.path, issue.message, at);
      });
  const warnings = findUnknownKeys(schema, file.value).map(({ path, known }) => {
    const key = String(path[path.length - 1]);
    const guess = closest(key, known);
    return file.issueAt(path, `unknown key, ignored${guess ? ` (did you mean ${guess}?)` : ''}`, 'key');
  });
  return { ...(result.success ? { data: result.data } : {}), errors: sortIssues(errors), warnings: sortIssues(warnings) };
}

/** The known key a typo most likely meant: within 2 edits (1 for short keys), else the one it starts (`cycle_gap`). */
function closest(key: string, known: string[]): string | undefined {
  const typed = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = typed.length <= 4 ? 2 : 3;
  for (const candidate of known) {
    const d = editDistance(typed, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const starts = known.filter((candidate) => typed.length >= 4 && candidate.toLowerCase().startsWith(typed));
  return best ?? (starts.length === 1 ? starts[0] : undefined);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

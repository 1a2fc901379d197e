// Campaign rules that span several fields. They run on the raw value, next to
// the schema (not as zod refinements, which are skipped once a field inside
// has an error), so every problem of the file is reported in one go.
import type { ConfigIssue } from './errors.js';
import { isPlainMapping } from './fields.js';
import { BACKENDS } from './types.js';
import type { YamlFile } from './yamlFile.js';

export const SCHEMA_MAJOR = '3';

export function checkCampaignRules(file: YamlFile): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const raw = file.value;
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];

  // A source written but wrong (`configs:` with nothing, a string) is the schema's to report, not "no experiments".
  const given = (v: unknown) => v !== undefined && !(Array.isArray(v) && v.length === 0);
  if (!given(raw.configs) && !given(raw.experiments) && !given(raw.grid)) {
    errors.push(file.issueAt([], 'no experiments: give at least one of configs, experiments or grid'));
  }

  const grid = raw.grid;
  if (isPlainMapping(grid)) {
    if (grid.shared !== undefined && grid.axes !== undefined) {
      errors.push(file.issueAt(['grid', 'axes'], 'axes is an alias of shared: give one of them, not both', 'key'));
    }
    // Per-backend axes of a backend the grid does not run are almost surely a mistake, but harmless.
    const backends = Array.isArray(grid.backends) ? grid.backends : [];
    if (isPlainMapping(grid.backend_overrides)) {
      for (const name of Object.keys(grid.backend_overrides)) {
        if ((BACKENDS as readonly string[]).includes(name) && !backends.includes(name)) {
          warnings.push(
            file.issueAt(['grid', 'backend_overrides', name], `${name} is not in grid.backends: these axes are not used`, 'key'),
          );
        }
      }
    }
  }

  const version = raw.schema_version;
  if ((typeof version === 'string' || typeof version === 'number') && String(version).split('.')[0] !== SCHEMA_MAJOR) {
    warnings.push(
      file.issueAt(
        ['schema_version'],
        `written for schema version "${version}"; lem-tui reads ${SCHEMA_MAJOR}.x, reading it anyway`,
      ),
    );
  }
  return { errors, warnings };
}

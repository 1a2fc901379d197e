// Resuming after lem-tui was SIGKILLed: an experiment the manifest still
// calls running may have finished anyway (its harness ran on, or ended in
// the moment lem-tui died). When its last attempt wrote a complete, readable
// result, that measurement is kept as completed and not run again: a re-run
// would measure it twice and could overwrite the file the entry points to.
import fs from 'node:fs/promises';
import { readMetrics, ResultFinder } from './results.js';
import type { Manifest, ManifestEntry } from './types.js';

/** Slack for file systems whose mtimes are coarser than our clock (as ExperimentRun allows). */
const MTIME_SLACK_MS = 1000;

export interface Adopted {
  manifest: Manifest;
  /** exp_ids now completed with the result their last attempt wrote. */
  adopted: string[];
}

/** `before` (epoch ms): only a result written before it counts (see TakeOptions.resultsBefore). */
export async function adoptFinishedRuns(manifest: Manifest, resultsDir: string, before = Number.POSITIVE_INFINITY): Promise<Adopted> {
  const finder = new ResultFinder(resultsDir);
  const adopted: string[] = [];
  const experiments: ManifestEntry[] = [];
  for (const entry of manifest.experiments) {
    const result = entry.status === 'running' ? await lastAttemptResult(entry, finder, before) : null;
    if (!result) {
      experiments.push(entry);
      continue;
    }
    adopted.push(entry.exp_id);
    experiments.push({ ...entry, status: 'completed', result_path: result.path, completed_at: result.writtenAt, error: null });
  }
  return { manifest: adopted.length > 0 ? { ...manifest, experiments } : manifest, adopted };
}

async function lastAttemptResult(entry: ManifestEntry, finder: ResultFinder, before: number): Promise<{ path: string; writtenAt: string } | null> {
  const startedAt = Date.parse(entry.attempt_started_at ?? entry.started_at ?? '');
  if (!Number.isFinite(startedAt)) return null;
  const found = await finder.find(entry.exp_id, { since: startedAt - MTIME_SLACK_MS });
  if (!found) return null;
  const writtenAt = await fs.stat(found).then((st) => st.mtimeMs, () => null); // null: removed while we looked
  if (writtenAt === null || writtenAt > before || !(await readMetrics(found))) return null;
  return { path: found, writtenAt: new Date(writtenAt).toISOString() };
}

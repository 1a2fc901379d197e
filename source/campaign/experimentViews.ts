// The experiments as the views first see them: the plan, with what a
// resumed manifest already knows (completed, failed and their reasons).
import type { Plan } from '../plan/types.js';
import type { ExperimentView } from '../state/types.js';
import type { ExperimentMetrics, Manifest } from './types.js';
import { gpuFromManifest } from './manifestGpu.js';
import { readMetrics } from './results.js';

/** Metrics of the experiments an earlier run completed, read from their result files. */
export async function earlierMetrics(manifest: Manifest): Promise<Map<string, ExperimentMetrics>> {
  const found = new Map<string, ExperimentMetrics>();
  for (const entry of manifest.experiments) {
    if (entry.status !== 'completed' || !entry.result_path) continue;
    const metrics = await readMetrics(entry.result_path);
    if (metrics) found.set(entry.exp_id, metrics);
  }
  return found;
}

export function experimentViews(
  plan: Plan,
  manifest: Manifest,
  metrics: ReadonlyMap<string, ExperimentMetrics> = new Map(),
): ExperimentView[] {
  const entries = new Map(manifest.experiments.map((entry) => [entry.exp_id, entry]));
  return plan.experiments.map((experiment) => {
    const entry = entries.get(experiment.expId);
    const status = entry?.status === 'running' || !entry ? 'pending' : entry.status;
    return {
      expId: experiment.expId,
      index: experiment.index,
      cycleIndex: experiment.cycleIndex,
      configName: experiment.config.name,
      backend: experiment.config.backend,
      service: experiment.config.service,
      status,
      attempt: 1,
      startedAt: null,
      finishedAt: null,
      durationMs: durationOf(entry?.started_at ?? null, entry?.completed_at ?? null),
      exitCode: null,
      reason: status === 'pending' ? null : (entry?.error ?? null),
      metrics: status === 'completed' ? (metrics.get(experiment.expId) ?? null) : null,
      gpu: status === 'completed' ? gpuFromManifest(entry?.gpu) : null,
      lastOutputAt: null,
      stuck: false,
      failureTail: [],
    };
  });
}

function durationOf(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

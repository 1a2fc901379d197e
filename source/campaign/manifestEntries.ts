// Building a manifest from a plan and changing one entry of it; pure, so the
// engine decides when a change is written.
import path from 'node:path';
import type { Plan, PlannedExperiment } from '../plan/types.js';
import type { Manifest, ManifestEntry } from './types.js';

export interface CreateManifestOptions {
  campaignFileHash: string;
  composeProject?: string | null;
  now: Date;
  /** When given, config paths are recorded relative to it (e.g. the campaign's folder). */
  baseDir?: string;
}

/** A pending entry for a planned experiment, under its planned id. */
export function entryFor(experiment: PlannedExperiment, baseDir: string | undefined): ManifestEntry {
  const { config } = experiment;
  const source = config.sourcePath;
  return {
    exp_id: experiment.expId,
    config_name: config.name,
    config_path: source && baseDir ? path.relative(baseDir, source) : source,
    config_hash: config.configHash,
    backend: config.backend,
    container: config.service,
    cycle_index: experiment.cycleIndex,
    status: 'pending',
    result_path: null,
    started_at: null,
    completed_at: null,
    error: null,
    retry_count: 0,
  };
}

/** A new manifest: one pending entry per planned experiment, in plan order. */
export function createManifest(plan: Plan, options: CreateManifestOptions): Manifest {
  const at = options.now.toISOString();
  const manifest: Manifest = {
    campaign_id: plan.campaignId,
    campaign_name: plan.campaignName,
    created_at: at,
    updated_at: at,
    config_hash: options.campaignFileHash,
    total_experiments: plan.experiments.length,
    experiments: plan.experiments.map((experiment) => entryFor(experiment, options.baseDir)),
  };
  if (options.composeProject) manifest.compose_project = options.composeProject;
  return manifest;
}

export type EntryPatch = Partial<Omit<ManifestEntry, 'exp_id'>>;

/** A copy of the manifest with one entry changed. Pure; an unknown id is a bug and throws. */
export function updateEntry(manifest: Manifest, expId: string, patch: EntryPatch, now: Date): Manifest {
  const index = manifest.experiments.findIndex((entry) => entry.exp_id === expId);
  if (index < 0) throw new Error(`no experiment ${expId} in the manifest of ${manifest.campaign_name}`);
  const experiments = manifest.experiments.slice();
  experiments[index] = { ...experiments[index]!, ...patch, exp_id: expId };
  return { ...manifest, experiments, updated_at: now.toISOString() };
}

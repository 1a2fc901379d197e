// Resuming: an earlier run's manifest merged with a new plan, so that what
// completed is not run again and what was cut short runs without asking.
import type { Plan, PlannedExperiment } from '../plan/types.js';
import { linkEntries } from './linkEntries.js';
import { entryFor } from './manifestEntries.js';
import type { Manifest, ManifestEntry } from './types.js';

export interface ResumeOptions {
  campaignFileHash: string;
  /** Queue failed and skipped experiments again (otherwise they keep their status). */
  rerunFailed?: boolean;
  /** Record this compose project instead of the old run's. */
  composeProject?: string | null;
  /** Stamps updated_at; without it updated_at is left as it was. */
  now?: Date;
  baseDir?: string;
  /**
   * The manifest was last written by llenergymeasure: its top-level
   * config_hash is of its own JSON of the campaign, which we cannot
   * reproduce, so per-entry hashes are compared instead (changedConfigs).
   */
  writtenByLlenergymeasure?: boolean;
}

export interface ResumeResult {
  manifest: Manifest;
  /**
   * The plan with each experiment's expId set to its manifest entry's exp_id.
   * A linked experiment keeps the id it had (its results carry that id), so
   * when the campaign changed or a shuffle came out differently, ids differ
   * from a fresh plan's: run this plan, not the original.
   */
  plan: Plan;
  /** The campaign file's hash differs from the manifest's (never for llenergymeasure's manifests: not comparable). */
  changedCampaignFile: boolean;
  /**
   * For a manifest llenergymeasure wrote: entries linked by their own name
   * whose config_hash is not the planned config's (0 otherwise).
   */
  changedConfigs: number;
  /** Planned experiments that already completed. */
  completed: number;
  /** exp_ids to run, in plan order. */
  toRun: string[];
  /** Planned experiments that the old manifest did not have. */
  added: number;
  /** Grid experiments linked to llenergymeasure's `<backend>-<model>` entries by position (see linkEntries). */
  linkedByPosition: number;
}

/**
 * llenergymeasure marks an experiment stopped by Ctrl-C as failed with this
 * error; like a `running` entry, it was interrupted, not a failure.
 */
export const INTERRUPTED_BY_USER = 'Interrupted by user';

/** An entry whose run was cut short: it runs again on resume, without asking. */
export function wasInterrupted(entry: ManifestEntry): boolean {
  return entry.status === 'running' || (entry.status === 'failed' && entry.error?.trim() === INTERRUPTED_BY_USER);
}

/**
 * Links an earlier run's manifest to a new plan (see linkEntries): completed
 * entries stay completed; interrupted and pending ones run; failed and
 * skipped ones run only with `rerunFailed`; planned experiments the manifest
 * lacks are added and run; entries the plan no longer has are kept, after
 * the plan's, untouched. Linked entries keep their config_name (an entry of
 * llenergymeasure's stays readable by it).
 */
export function mergeForResume(old: Manifest, plan: Plan, options: ResumeOptions): ResumeResult {
  const links = linkEntries(old.experiments, plan.experiments, plan.configs);
  const freshId = idAllocator(old.experiments, plan.experiments);
  const experiments: ManifestEntry[] = [];
  const planned: PlannedExperiment[] = [];
  const toRun: string[] = [];
  let completed = 0;
  let added = 0;
  let changedConfigs = 0;
  plan.experiments.forEach((experiment, i) => {
    const previous = links.previous[i]!;
    if (options.writtenByLlenergymeasure && configChangedUnderSameName(previous, experiment)) changedConfigs += 1;
    let entry: ManifestEntry;
    if (!previous) {
      added += 1;
      entry = { ...entryFor(experiment, options.baseDir), exp_id: freshId(experiment.expId) };
    } else if (previous.status === 'completed') {
      completed += 1;
      entry = previous; // it describes what ran: keep it whole
    } else {
      entry = carriedOver(previous, experiment, options);
    }
    experiments.push(entry);
    planned.push({ ...experiment, expId: entry.exp_id });
    if (entry.status === 'pending') toRun.push(entry.exp_id);
  });
  const linked = new Set(links.previous);
  experiments.push(...old.experiments.filter((entry) => !linked.has(entry)));

  return {
    manifest: mergedManifest(old, plan, experiments, options),
    plan: { ...plan, experiments: planned },
    changedCampaignFile: !options.writtenByLlenergymeasure && old.config_hash !== options.campaignFileHash,
    changedConfigs,
    completed,
    toRun,
    added,
    linkedByPosition: links.byPosition,
  };
}

/**
 * Ids for new experiments: the planned id unless an old entry holds it, else
 * the next number after the highest numeric id, at the plan's id width.
 */
function idAllocator(entries: readonly ManifestEntry[], experiments: readonly PlannedExperiment[]): (planned: string) => string {
  const taken = new Set(entries.map((entry) => entry.exp_id));
  const width = Math.max(4, ...experiments.map((e) => e.expId.length));
  let next = Math.max(0, ...[...taken].map(Number).filter(Number.isFinite));
  return (planned) => {
    let id = planned;
    while (taken.has(id)) {
      next += 1;
      id = String(next).padStart(width, '0');
    }
    taken.add(id);
    return id;
  };
}

function configChangedUnderSameName(previous: ManifestEntry | null, experiment: PlannedExperiment): boolean {
  return previous?.config_name === experiment.config.name && previous.config_hash !== experiment.config.configHash;
}

/**
 * An unfinished entry, with the planned config's path, hash and service; it
 * is queued again when it was pending or interrupted, or with rerunFailed.
 */
function carriedOver(previous: ManifestEntry, experiment: PlannedExperiment, options: ResumeOptions): ManifestEntry {
  const current = entryFor(experiment, options.baseDir);
  const again = previous.status === 'pending' || wasInterrupted(previous) || options.rerunFailed === true;
  return {
    ...previous,
    config_path: current.config_path,
    config_hash: current.config_hash,
    backend: current.backend,
    container: current.container,
    ...(again ? { status: 'pending', started_at: null, attempt_started_at: null, completed_at: null, error: null, result_path: null } : {}),
  };
}

function mergedManifest(old: Manifest, plan: Plan, experiments: ManifestEntry[], options: ResumeOptions): Manifest {
  const manifest: Manifest = {
    ...old,
    campaign_id: plan.campaignId,
    campaign_name: plan.campaignName,
    config_hash: options.campaignFileHash,
    total_experiments: experiments.length,
    experiments,
  };
  if (options.now) manifest.updated_at = options.now.toISOString();
  if (options.composeProject) manifest.compose_project = options.composeProject;
  return manifest;
}

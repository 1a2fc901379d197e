// The campaign manifest (LEM-FORMATS.md, "Manifest"): created from a plan,
// read leniently (llenergymeasure's own manifests included), written
// atomically after every change, merged with a new plan on resume, and moved
// aside (never deleted) when a run starts over.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Plan, PlannedExperiment } from '../plan/types.js';
import { writeFileAtomic } from './atomicWrite.js';
import { linkEntries } from './linkEntries.js';
import type { ExperimentStatus, Manifest, ManifestEntry } from './types.js';

/** A manifest file that exists but cannot be used; the message names the file. */
export class ManifestError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

// --- timestamps ---------------------------------------------------------------

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO-8601 date-time, zoned or not. llenergymeasure writes Python's naive
 * `datetime.now().isoformat()` (local time, no zone, microseconds); a
 * timestamp without a zone is read as local time, as it was written.
 */
export function parseManifestTime(text: string): Date | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const zone = m[8];
  let time: number;
  if (!zone) {
    time = new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  } else {
    time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
    }
  }
  return Number.isFinite(time) ? new Date(time) : null;
}

// --- reading ------------------------------------------------------------------

/** Any accepted timestamp, normalised to zoned ISO-8601 (UTC). */
const timestamp = z.string().transform((text, ctx) => {
  const date = parseManifestTime(text);
  if (date) return date.toISOString();
  ctx.issues.push({ code: 'custom', message: `not an ISO-8601 timestamp: ${JSON.stringify(text)}`, input: text });
  return z.NEVER;
});

const STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped'] as const satisfies readonly ExperimentStatus[];

// Loose objects: fields we do not know (a newer llenergymeasure's) survive a rewrite.
const entrySchema = z.looseObject({
  exp_id: z.union([z.string().min(1), z.number()]).transform(String),
  config_name: z.string(),
  config_path: z.string().nullable().default(null),
  config_hash: z.string().default(''),
  backend: z.string().default('pytorch'),
  container: z.string().optional(),
  cycle_index: z.number().int().min(0),
  status: z.enum(STATUSES).default('pending'),
  result_path: z.string().nullable().default(null),
  started_at: timestamp.nullable().default(null),
  completed_at: timestamp.nullable().default(null),
  error: z.string().nullable().default(null),
  retry_count: z.number().int().min(0).default(0),
});

const manifestSchema = z.looseObject({
  campaign_id: z.string(),
  campaign_name: z.string(),
  created_at: timestamp,
  updated_at: timestamp.optional(),
  config_hash: z.string().default(''),
  total_experiments: z.number().int().min(0).optional(),
  compose_project: z.string().optional(),
  experiments: z.array(entrySchema).default([]),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
      return `${where || '(top level)'}: ${issue.message}`;
    })
    .join('; ')
    .concat(error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '');
}

export interface LoadedManifest {
  manifest: Manifest;
  /**
   * Its last writer was llenergymeasure: its updated_at has no zone (Python's
   * naive `datetime.now()`), which lem-tui never writes.
   */
  writtenByLlenergymeasure: boolean;
}

/** The manifest at `file`, or null when there is none. A file that is there but unusable throws ManifestError. */
export async function readManifest(file: string): Promise<Manifest | null> {
  return (await loadManifest(file))?.manifest ?? null;
}

/** readManifest, and who wrote the file last. */
export async function loadManifest(file: string): Promise<LoadedManifest | null> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ManifestError(file, `cannot read the manifest ${file}: ${(error as Error).message}`);
  }
  if (text.trim() === '') throw new ManifestError(file, `the manifest ${file} is empty`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `the manifest ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new ManifestError(file, `the manifest ${file} is not a campaign manifest: ${describeIssues(parsed.error)}`);
  }
  const raw = parsed.data;
  const experiments = raw.experiments.map((entry) => ({ ...entry, container: entry.container ?? entry.backend }) as ManifestEntry);
  const manifest = {
    ...raw,
    updated_at: raw.updated_at ?? raw.created_at,
    total_experiments: raw.total_experiments ?? experiments.length,
    experiments,
  } as Manifest;
  const written = (data as { updated_at?: string; created_at: string }).updated_at ?? (data as { created_at: string }).created_at;
  return { manifest, writtenByLlenergymeasure: TIME.exec(written.trim())?.[8] === undefined };
}

// --- writing ------------------------------------------------------------------

export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Moves a manifest aside as `<name>.<UTC timestamp>.json` (never overwriting one) and returns the new path. */
export async function archiveManifest(file: string, now: Date): Promise<string> {
  const ext = path.extname(file) || '.json';
  const stem = path.join(path.dirname(file), path.basename(file, path.extname(file)));
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  for (let n = 1; ; n += 1) {
    const target = `${stem}.${stamp}${n > 1 ? `-${n}` : ''}${ext}`;
    if (await exists(target)) continue;
    await fs.promises.rename(file, target);
    return target;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.lstat(file);
    return true;
  } catch {
    return false;
  }
}

// --- building and changing ----------------------------------------------------

export interface CreateManifestOptions {
  campaignFileHash: string;
  composeProject?: string | null;
  now: Date;
  /** When given, config paths are recorded relative to it (e.g. the campaign's folder). */
  baseDir?: string;
}

function entryFor(experiment: PlannedExperiment, baseDir: string | undefined): ManifestEntry {
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

// --- resume -------------------------------------------------------------------

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

  // New experiments take their planned id unless an old entry holds it.
  const taken = new Set(old.experiments.map((entry) => entry.exp_id));
  const width = Math.max(4, ...plan.experiments.map((e) => e.expId.length));
  let next = Math.max(0, ...[...taken].map(Number).filter(Number.isFinite));
  const freshId = (planned: string): string => {
    let id = planned;
    while (taken.has(id)) {
      next += 1;
      id = String(next).padStart(width, '0');
    }
    return id;
  };

  const experiments: ManifestEntry[] = [];
  const planned: PlannedExperiment[] = [];
  const toRun: string[] = [];
  let completed = 0;
  let added = 0;
  let changedConfigs = 0;
  plan.experiments.forEach((experiment, i) => {
    const previous = links.previous[i]!;
    if (
      options.writtenByLlenergymeasure &&
      previous?.config_name === experiment.config.name &&
      previous.config_hash !== experiment.config.configHash
    ) {
      changedConfigs += 1;
    }
    let entry: ManifestEntry;
    if (!previous) {
      added += 1;
      entry = { ...entryFor(experiment, options.baseDir), exp_id: freshId(experiment.expId) };
      taken.add(entry.exp_id);
    } else if (previous.status === 'completed') {
      completed += 1;
      entry = previous; // it describes what ran: keep it whole
    } else {
      const current = entryFor(experiment, options.baseDir);
      const again = previous.status === 'pending' || wasInterrupted(previous) || options.rerunFailed === true;
      entry = {
        ...previous,
        config_path: current.config_path,
        config_hash: current.config_hash,
        backend: current.backend,
        container: current.container,
        ...(again ? { status: 'pending', started_at: null, completed_at: null, error: null, result_path: null } : {}),
      };
    }
    experiments.push(entry);
    planned.push({ ...experiment, expId: entry.exp_id });
    if (entry.status === 'pending') toRun.push(entry.exp_id);
  });
  const linked = new Set(links.previous);
  experiments.push(...old.experiments.filter((entry) => !linked.has(entry)));

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
  return {
    manifest,
    plan: { ...plan, experiments: planned },
    changedCampaignFile: !options.writtenByLlenergymeasure && old.config_hash !== options.campaignFileHash,
    changedConfigs,
    completed,
    toRun,
    added,
    linkedByPosition: links.byPosition,
  };
}

// Reading a manifest leniently: llenergymeasure's own manifests (naive
// timestamps, numeric ids, fields it leaves out) are normalised to the shape
// lem-tui writes, and a file that cannot be used is refused with a message
// that names it.
import fs from 'node:fs';
import * as z from 'zod';
import { isNaiveTime, parseManifestTime } from './manifestTime.js';
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

type ParsedManifest = z.infer<typeof manifestSchema>;

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
  const text = await readManifestText(file);
  if (text === null) return null;
  const data = parseJson(file, text);
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new ManifestError(file, `the manifest ${file} is not a campaign manifest: ${describeIssues(parsed.error)}`);
  }
  // The raw text of the timestamp, before the schema normalised away its zone (or lack of one).
  const written = (data as { updated_at?: string; created_at: string }).updated_at ?? (data as { created_at: string }).created_at;
  return { manifest: withDefaults(parsed.data), writtenByLlenergymeasure: isNaiveTime(written) };
}

/** The file's text; null when there is no file. */
async function readManifestText(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ManifestError(file, `cannot read the manifest ${file}: ${(error as Error).message}`);
  }
  if (text.trim() === '') throw new ManifestError(file, `the manifest ${file} is empty`);
  return text;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `the manifest ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Fills in the fields a manifest may leave out: an entry without a container is taken to have run in its backend's. */
function withDefaults(raw: ParsedManifest): Manifest {
  const experiments = raw.experiments.map((entry) => ({ ...entry, container: entry.container ?? entry.backend }) as ManifestEntry);
  return {
    ...raw,
    updated_at: raw.updated_at ?? raw.created_at,
    total_experiments: raw.total_experiments ?? experiments.length,
    experiments,
  } as Manifest;
}

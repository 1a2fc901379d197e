// Finding and reading an experiment's result (LEM-FORMATS.md, "Results").
// `lem experiment` names its files after an id of its own; ours survives only
// inside the result as effective_config._metadata.experiment_id. Neither
// function throws: a missing, unreadable or malformed file is "no result".
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentMetrics } from './types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

async function readJsonObject(file: string): Promise<Json | null> {
  try {
    const data: unknown = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    return isObject(data) ? data : null;
  } catch {
    return null;
  }
}

/** The campaign experiment id a result was written for, if it says. */
function metadataId(result: Json): string | null {
  const config = result.effective_config;
  const metadata = isObject(config) ? config._metadata : undefined;
  const id = isObject(metadata) ? metadata.experiment_id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

export interface FindResultOptions {
  /** Epoch ms: files last modified before this belong to earlier runs. */
  since: number;
}

/**
 * Finds each experiment's aggregated result, for one campaign. Results
 * accumulate in one folder, and a stat of every file per experiment made a
 * campaign O(n²) (at 1,000 experiments, most of lem-tui's own CPU): a finder remembers each file's mtime from the
 * first time it saw it and stats only files it has not seen. The harness
 * writes each result once under a new name, so a seen file does not change;
 * the one exception, `<expId>.json` (rewritten by a retry), is always stat'ed.
 */
export class ResultFinder {
  private readonly seen = new Map<string, number>();

  constructor(private readonly resultsDir: string) {}

  /**
   * The aggregated result of our experiment `expId`: the newest
   * `aggregated/*.json` modified since `since` whose metadata names `expId`;
   * failing that, a fresh `aggregated/<expId>.json` that names no other id.
   */
  async find(expId: string, options: FindResultOptions): Promise<string | null> {
    const dir = path.join(this.resultsDir, 'aggregated');
    let names: string[];
    try {
      names = (await fs.promises.readdir(dir)).filter((name) => name.endsWith('.json'));
    } catch {
      return null;
    }
    const ownName = `${expId}.json`;
    const mtimes = await Promise.all(
      names.map(async (name) => {
        const known = name === ownName ? undefined : this.seen.get(name);
        if (known !== undefined) return known;
        try {
          const stat = await fs.promises.stat(path.join(dir, name));
          const mtime = stat.isFile() ? stat.mtimeMs : -1;
          this.seen.set(name, mtime);
          return mtime;
        } catch {
          return -1; // removed while we looked
        }
      }),
    );
    const fresh = names
      .map((name, i) => ({ file: path.join(dir, name), mtimeMs: mtimes[i]! }))
      .filter((candidate) => candidate.mtimeMs >= 0 && candidate.mtimeMs >= options.since)
      .sort((a, b) => b.mtimeMs - a.mtimeMs);

    for (const { file } of fresh) {
      const result = await readJsonObject(file);
      if (result && metadataId(result) === expId) return file;
    }
    const named = path.join(dir, ownName);
    if (fresh.some((candidate) => candidate.file === named)) {
      const result = await readJsonObject(named);
      if (result && (metadataId(result) ?? expId) === expId) return named;
    }
    return null;
  }
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function gpuOf(result: Json): Json | null {
  for (const key of ['environment_snapshot', 'environment']) {
    const env = result[key];
    const hardware = isObject(env) ? env.hardware : undefined;
    const gpu = isObject(hardware) ? hardware.gpu : undefined;
    const first = Array.isArray(gpu) ? gpu[0] : gpu; // several GPUs: show the first
    if (isObject(first)) return first;
  }
  return null;
}

/** What lem-tui shows of an aggregated result; null when the file is missing or not a result object. */
export async function readMetrics(resultPath: string): Promise<ExperimentMetrics | null> {
  const result = await readJsonObject(resultPath);
  if (!result) return null;
  const energyTrackingFailed = result.energy_tracking_failed === true;
  // A failed energy tracker writes 0 J: that is no measurement, so the
  // energy figures are n/a (null), never 0, and the result is flagged.
  const energyJ = energyTrackingFailed ? null : numberOrNull(result.total_energy_j);
  const totalTokens = numberOrNull(result.total_tokens);
  const gpu = gpuOf(result);
  const gpuName = gpu && typeof gpu.name === 'string' && gpu.name !== '' ? gpu.name : null;
  return {
    resultPath,
    energyJ,
    totalTokens,
    inferenceTimeSec: numberOrNull(result.total_inference_time_sec),
    tokensPerSecond: numberOrNull(result.avg_tokens_per_second),
    joulesPerToken: energyTrackingFailed ? null : numberOrNull(result.avg_energy_per_token_j),
    tokensPerJoule: energyJ === null || totalTokens === null ? null : energyJ === 0 ? 0 : totalTokens / energyJ,
    energyTrackingFailed,
    gpuName,
    gpuVramTotalMb: gpu ? numberOrNull(gpu.vram_total_mb) : null,
  };
}

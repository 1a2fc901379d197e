import { createHash } from 'node:crypto';
import { pythonJsonDumps } from './pythonJson.js';

/**
 * The campaign's short id, as llenergymeasure computes it (so that its
 * manifests resume here, and `LEM_CAMPAIGN_ID` / `_metadata` agree with its
 * own runs): the first 8 hex chars of the MD5 of the name.
 */
export function campaignId(name: string): string {
  return createHash('md5').update(name, 'utf8').digest('hex').slice(0, 8);
}

/**
 * The id lem-tui gave a campaign before it followed llenergymeasure (the
 * first 8 hex chars of the SHA-256 of the name): its manifests carry it, and
 * still resume.
 */
export function legacySha256CampaignId(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
}

/**
 * A config's short hash, as llenergymeasure writes it into each manifest
 * entry: the first 12 hex chars of the MD5 of `json.dumps(config,
 * sort_keys=True)` (see pythonJson.ts, and its gap: 1.0 counts as 1).
 */
export function configHash(config: unknown): string {
  return createHash('md5').update(pythonJsonDumps(config), 'utf8').digest('hex').slice(0, 12);
}

/** An experiment id from its 1-based position in execution order: 1 → "0001"; wider past 9999. */
export function formatExpId(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`experiment number must be a positive integer, got ${n}`);
  return String(n).padStart(4, '0');
}

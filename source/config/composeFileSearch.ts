// Which compose file(s) a run uses when no setting names one: found the way
// docker compose itself finds them (COMPOSE_FILE, else compose.yaml,
// compose.yml, docker-compose.yaml, docker-compose.yml in the current
// directory, then in each parent), so that llenergymeasure's users, who run
// from their repository's root with the campaign in configs/examples/, get
// the root's file. When compose would find nothing, the campaign file's own
// folder is tried last (campaigns shipped with their compose file beside
// them). Pure: the caller passes how to ask whether a file exists.
import path from 'node:path';

/** In compose's order of preference within one folder. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

export type ComposeFileOrigin = 'flag' | 'campaign' | 'user-config' | 'env' | 'cwd' | 'parent' | 'campaign-dir' | 'none';

export interface ComposeFileChoice {
  /** Absolute paths, passed as -f in order; empty when none was found. */
  files: string[];
  origin: ComposeFileOrigin;
  /** Why these files, in words for --dry-run and the header: "found in the current directory". */
  reason: string;
}

export interface ComposeSearchInput {
  cwd: string;
  campaignDir: string;
  env: NodeJS.ProcessEnv;
  exists: (file: string) => boolean;
}

/** Few words for the header: "docker-compose.yml (current directory)". */
export const ORIGIN_WORDS: Record<ComposeFileOrigin, string> = {
  flag: '--compose-file',
  campaign: 'runner.compose_file',
  'user-config': '.lem-config.yaml',
  env: 'COMPOSE_FILE',
  cwd: 'current directory',
  parent: 'parent directory',
  'campaign-dir': "campaign's folder",
  none: 'none found',
};

/** The compose files for a run with no compose-file setting. */
export function searchComposeFiles(input: ComposeSearchInput): ComposeFileChoice {
  const { cwd, campaignDir, env, exists } = input;
  const fromEnv = env.COMPOSE_FILE?.trim();
  if (fromEnv) {
    // COMPOSE_PATH_SEPARATOR, else ':' (compose's default on Linux and macOS).
    const separator = env.COMPOSE_PATH_SEPARATOR || path.delimiter;
    const files = fromEnv
      .split(separator)
      .map((f) => f.trim())
      .filter(Boolean)
      .map((f) => path.resolve(cwd, f));
    return { files, origin: 'env', reason: 'from COMPOSE_FILE' };
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = firstIn(dir, exists);
    if (found) {
      const here = dir === path.resolve(cwd);
      return {
        files: [found],
        origin: here ? 'cwd' : 'parent',
        reason: here ? 'found in the current directory, as docker compose finds it' : `found in ${dir}, a parent of the current directory, as docker compose finds it`,
      };
    }
    if (path.dirname(dir) === dir) break;
  }
  const besideCampaign = firstIn(campaignDir, exists);
  if (besideCampaign) {
    return {
      files: [besideCampaign],
      origin: 'campaign-dir',
      reason: 'beside the campaign file (none in the current directory or its parents)',
    };
  }
  return {
    files: [],
    origin: 'none',
    reason: `none found: no ${COMPOSE_FILE_NAMES.join(', ')} in the current directory, its parents or the campaign's folder`,
  };
}

function firstIn(dir: string, exists: (file: string) => boolean): string | null {
  for (const name of COMPOSE_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (exists(candidate)) return candidate;
  }
  return null;
}

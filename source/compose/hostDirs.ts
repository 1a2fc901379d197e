// Where lem-tui writes each experiment's config and reads its results when
// the experiments run in compose services: wherever those services
// bind-mount /app/configs and /app/results from. llenergymeasure's compose
// file mounts ${LLM_ENERGY_CONFIGS_DIR:-./configs} of its own folder, which
// need not be the campaign's io.configs_dir: writing anywhere else means the
// harness never sees the file. Pure.
import { hostPathOf, type BindMount } from './serviceMounts.js';
import { PreflightError } from './preflightError.js';

export const CONTAINER_CONFIGS_DIR = '/app/configs';
export const CONTAINER_RESULTS_DIR = '/app/results';

export interface HostDirs {
  configsDir: string;
  resultsDir: string;
}

/**
 * The one host folder behind /app/configs and the one behind /app/results of
 * every service the campaign uses. A service without either mount, or
 * services that mount different folders, cannot be run: one PreflightError
 * names the service and the mount it needs.
 */
export function hostDirsFromMounts(services: readonly string[], mounts: Readonly<Record<string, readonly BindMount[]>>): HostDirs {
  return {
    configsDir: oneSource(services, mounts, CONTAINER_CONFIGS_DIR, 'configs', 'lem-tui writes each experiment\'s config there'),
    resultsDir: oneSource(services, mounts, CONTAINER_RESULTS_DIR, 'results', 'the harness writes its results there, where lem-tui reads them'),
  };
}

function oneSource(
  services: readonly string[],
  mounts: Readonly<Record<string, readonly BindMount[]>>,
  target: string,
  what: string,
  why: string,
): string {
  const sources = new Map<string, string[]>();
  for (const service of services) {
    const source = hostPathOf(mounts[service] ?? [], target);
    if (source === null) {
      throw new PreflightError(
        'mount-missing',
        `Service ${service} has no bind mount at ${target}: ${why}.`,
        `Add a bind mount of a host folder to the service, e.g. \`volumes: ["./${what}:${target}"]\`.`,
      );
    }
    sources.set(source, [...(sources.get(source) ?? []), service]);
  }
  if (sources.size > 1) {
    const list = [...sources].map(([source, users]) => `${users.join(', ')} → ${source}`).join('; ');
    throw new PreflightError(
      'mount-missing',
      `The services mount different host folders at ${target} (${list}): lem-tui needs one.`,
      `Mount the same host folder at ${target} in every service the campaign uses.`,
    );
  }
  return [...sources.keys()][0]!;
}

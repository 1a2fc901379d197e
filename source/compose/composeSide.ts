// The compose side of container dispatch that a dry run and Slurm share:
// the compose command as this host would call it (without preflight), and
// the host folders behind the services' /app/configs and /app/results.
import type { RunSettings } from '../config/types.js';
import type { ComposeTarget } from './types.js';
import { composeTarget, detectFlavour, guessFlavour, isDockerCompose, parseComposeCommand, useComposePlugin } from './flavour.js';
import { findComposePlugin } from './composePlugin.js';
import { readServiceMounts } from './preflight.js';
import { PreflightError } from './preflightError.js';
import { hostDirsFromMounts, CONTAINER_CONFIGS_DIR, CONTAINER_RESULTS_DIR, type HostDirs } from './hostDirs.js';
import type { BindMount } from './serviceMounts.js';
import { showPath } from '../config/errors.js';
import { EnvironmentError } from '../domain/environmentError.js';

export type TargetAndMounts = { target: ComposeTarget; mounts: Record<string, BindMount[]> | null };

/** A dry run: the compose command this host would use (never fails for want of one), and the mounts when compose can say. */
export async function describedTarget(
  settings: RunSettings,
  project: string,
  services: string[],
  composeFileExists: boolean,
  notes: string[],
): Promise<TargetAndMounts> {
  const override = settings.composeCommand?.join(' ') ?? null;
  // `config` below runs on the plugin binary when it is proven the one `docker
  // compose` runs (composePlugin.ts); its version is asked beside the guess's.
  const plugin = !override || isDockerCompose(parseComposeCommand(override).command) ? findComposePlugin() : null;
  const pluginUsed = plugin ? useComposePlugin(plugin).catch(() => false) : null;
  const flavour = override ? await detectFlavour(override) : await guessFlavour();
  if (!flavour) notes.push('no compose command found on this host: showing `docker compose`');
  const target = composeTarget(flavour ?? 'docker compose', project, settings.composeFiles);
  if (!flavour || !composeFileExists) return { target, mounts: null };
  if (isDockerCompose(flavour.command)) await pluginUsed;
  return { target, mounts: await readServiceMounts(target, services) };
}

/**
 * The host folders the services mount at /app/configs and /app/results. A
 * real run stops on a missing mount (PreflightError → exit 2); a dry run says
 * so in a note and shows the settings' folders.
 */
export function containerDirs(
  settings: RunSettings,
  services: string[],
  mounts: Record<string, BindMount[]> | null,
  { notes, infos }: { notes: string[]; infos: string[] },
  forDryRun: boolean,
): HostDirs {
  const fallback = { configsDir: settings.configsDir, resultsDir: settings.resultsDir };
  if (!mounts) {
    notes.push(`compose could not be asked for the services' mounts: showing io.configs_dir and io.results_dir`);
    return fallback;
  }
  let dirs: HostDirs;
  try {
    dirs = hostDirsFromMounts(services, mounts);
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    if (!forDryRun) throw new EnvironmentError(error.message, error.hint);
    notes.push(`a real run would stop here: ${error.message}`);
    return fallback;
  }
  const cwd = process.cwd();
  if (dirs.configsDir !== settings.configsDir) {
    infos.push(`experiment configs are written to ${showPath(dirs.configsDir, cwd)}, which the services mount at ${CONTAINER_CONFIGS_DIR}`);
  }
  if (dirs.resultsDir !== settings.resultsDir && settings.resultsDirGiven) {
    infos.push(
      `results are read from ${showPath(dirs.resultsDir, cwd)}, which the services mount at ${CONTAINER_RESULTS_DIR} (not ${showPath(settings.resultsDir, cwd)})`,
    );
  }
  return dirs;
}

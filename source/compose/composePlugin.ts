// Compose v2 without the docker CLI in front of it.
//
// `docker compose X` starts the docker CLI, which runs the compose plugin
// twice: once for its metadata (`docker-cli-plugin-metadata`), then for X.
// Measured here (BENCHMARKS.md): `docker compose version` 0.18 s, the plugin
// binary itself 0.07 s; every compose call of a campaign (`config`, each
// experiment's `run` or `exec`, `up`, `down`) paid the difference. Compose v2
// also runs standalone (it is the `docker-compose` v2 binary), so lem-tui
// runs the plugin binary the docker CLI would run, with the same arguments
// less the leading `compose`. It is used only when it answers `version
// --short` exactly as `docker compose` does; anything else keeps `docker
// compose`. Every command a person reads (--dry-run, hints, logs) still says
// `docker compose`: only the spawn changes (io/process/process.ts, launchArgv).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the docker CLI looks for plugins on Linux after the user's and the configured folders (docker/cli, manager_unix.go). */
const SYSTEM_PLUGIN_DIRS = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];

/**
 * The paths the docker CLI may take the compose plugin from, in its order:
 * the config folder's cli-plugins (DOCKER_CONFIG or ~/.docker), the config
 * file's `cliPluginsExtraDirs` (Docker Desktop puts its own there), then the
 * system folders. (Docker before 23 asked the extra folders first; the
 * version check settles any difference.)
 */
export function composePluginCandidates(configDir: string, config: unknown): string[] {
  const extra = (config as { cliPluginsExtraDirs?: unknown } | null)?.cliPluginsExtraDirs;
  const extraDirs = Array.isArray(extra) ? extra.filter((d): d is string => typeof d === 'string' && d !== '') : [];
  return [path.join(configDir, 'cli-plugins'), ...extraDirs, ...SYSTEM_PLUGIN_DIRS].map((dir) => path.join(dir, 'docker-compose'));
}

/** The first executable compose plugin on this machine, or null. Reads files only. */
export function findComposePlugin(env: NodeJS.ProcessEnv = process.env): string | null {
  const configDir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  let config: unknown = null;
  try {
    config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8'));
  } catch {
    // No config file, or one the docker CLI would also fail on: the default folders.
  }
  for (const candidate of composePluginCandidates(configDir, config)) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not there
    }
  }
  return null;
}

// Whether a compose command named in the settings (--compose-command,
// .lem-config.yaml) works. Preflight's `config` call proves a working one, so
// its `version` is asked only when something fails, to tell a broken command
// from a broken compose file: with v1 that is one Python start less before the
// first experiment (BENCHMARKS.md, issue 16 round 3). `docker compose` is
// asked up front as before: its version answer is shared with the plugin
// check (flavour.ts), so it costs nothing more.
import type { DetectedFlavour } from './flavour.js';
import { dockerComposeVersion, isDockerCompose } from './flavour.js';
import { podmanLimitation } from './podmanLimits.js';
import { firstLines, PreflightError } from './preflightError.js';
import { capture } from '../io/process/process.js';

/** Why the command named `named` does not work, or null (also null when none was named). */
export async function namedCommandFailure(flavour: DetectedFlavour | null, named: string | null | undefined): Promise<PreflightError | null> {
  if (!named || !flavour) return null;
  const version = isDockerCompose(flavour.command) ? await dockerComposeVersion() : await capture([...flavour.command, 'version'], { timeoutMs: 15_000 });
  if (version.exitCode === 0) return null;
  return podmanLimitation(flavour.command, version.stderr || version.stdout) ?? new PreflightError(
    'compose-missing',
    `The compose command "${named}" does not work: ${firstLines(version.spawnError ?? version.stderr, 2)}`,
    'Fix the compose command setting, or remove it to detect one.',
  );
}

/** Asked before anything else only for `docker compose` (see above). */
export const checkedUpFront = (flavour: DetectedFlavour | null, named: string | null | undefined): boolean =>
  Boolean(named && flavour && isDockerCompose(flavour.command));

// What Debian bookworm's podman tools cannot do that lem-tui needs, said as
// such instead of as a broken compose file. podman 4.3 has no `podman
// compose` (it came in 4.7: "Error: unrecognized command `podman compose`"),
// and podman-compose 1.0.3 has no `config` subcommand ("invalid choice:
// 'config'"), which preflight uses to validate the file and read the
// services' images and mounts. Pure: the caller passes what the tool printed.
import { PreflightError } from './preflightError.js';

const USE_INSTEAD = 'Use Docker Compose (`--compose-command "docker compose"`), or podman ≥ 4.7 with `podman compose`, or podman-compose ≥ 1.1.';

/** A PreflightError naming what is missing, or null when the output is not one of these. */
export function podmanLimitation(command: string[], output: string): PreflightError | null {
  const shown = command.join(' ');
  if (/unrecognized command [`']?podman compose/.test(output)) {
    return new PreflightError('compose-missing', `\`${shown}\` does not exist in this podman (it came in podman 4.7).`, USE_INSTEAD);
  }
  if (/invalid choice: 'config'/.test(output)) {
    return new PreflightError(
      'compose-missing',
      `\`${shown}\` has no \`config\` subcommand (podman-compose before 1.1), which lem-tui needs to check the compose file and read its services.`,
      USE_INSTEAD,
    );
  }
  return null;
}

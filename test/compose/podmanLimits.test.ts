import { describe, expect, it } from 'vitest';
import { podmanLimitation } from '../../source/compose/podmanLimits.js';

// Output captured from Debian bookworm's podman 4.3.1 and podman-compose 1.0.3.
const PODMAN_43 = 'Error: unrecognized command `podman compose`\nTry \'podman --help\' for more information\n';
const PODMAN_COMPOSE_103 =
  "usage: podman-compose [-h] [-v] [--no-ansi] [--no-cleanup] [--dry-run]\n" +
  "podman-compose: error: argument command: invalid choice: 'config' (choose from 'help', 'version', 'pull', 'push', 'build', 'up', 'down', 'ps', 'run', 'exec', 'start', 'stop', 'restart', 'logs')\n";

describe('podmanLimitation: what the podman tools lack, said as such', () => {
  it('podman 4.3 has no `podman compose`', () => {
    const e = podmanLimitation(['podman', 'compose'], PODMAN_43);
    expect(e?.problem).toBe('compose-missing');
    expect(e?.message).toBe('`podman compose` does not exist in this podman (it came in podman 4.7).');
    expect(e?.hint).toContain('--compose-command "docker compose"');
  });

  it('podman-compose 1.0.3 has no `config` (not "the compose file is invalid: usage: …")', () => {
    const e = podmanLimitation(['podman-compose'], PODMAN_COMPOSE_103);
    expect(e?.message).toMatch(/^`podman-compose` has no `config` subcommand/);
    expect(e?.message).not.toContain('usage:');
  });

  it('anything else is not one of these', () => {
    expect(podmanLimitation(['docker', 'compose'], 'services.x Additional property foo is not allowed')).toBeNull();
  });
});

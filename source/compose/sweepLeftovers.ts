// At start-up, what an earlier, dead run of this campaign left behind. The
// caller holds the campaign's run lock, so no live lem-tui owns these: one-off
// `run` containers and stopped service containers are removed. Running
// service containers are kept — with auto_teardown off they were left up on
// purpose, and `up -d` reuses them.
import { forceRemove, listProjectContainers } from './cleanup.js';

export interface LeftoverSweep {
  removed: string[];
  failed: string[];
}

export async function sweepLeftovers(project: string, cli = 'docker'): Promise<LeftoverSweep> {
  const containers = await listProjectContainers(cli, project);
  const stale = containers.filter((c) => c.oneoff || c.state !== 'running');
  const failed = await forceRemove(
    cli,
    stale.map((c) => c.id),
  );
  return { removed: stale.map((c) => c.name), failed };
}

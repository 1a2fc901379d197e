// At start-up, what an earlier, dead run of this campaign left behind. The
// caller holds the campaign's run lock, so no live lem-tui owns these: one-off
// `run` containers and stopped service containers are removed. Running
// service containers are kept — with auto_teardown off they were left up on
// purpose, and `up -d` reuses them — unless a harness is still running in
// one: a run killed with SIGKILL cannot stop what it started with `exec`
// (there is no API for it), and an experiment run again beside it would
// measure two at once on one GPU. Such a container is removed; `up -d`
// starts a fresh one.
import { capture } from '../io/process/process.js';
import { forceRemove, listProject, type ProjectListing } from './cleanup.js';

export interface LeftoverSweep {
  removed: string[];
  failed: string[];
  /** Containers removed because a dead run's harness was still running in them. */
  harnessStopped: string[];
  /**
   * What the engine has of the project now, when the sweep's own `ps` still
   * says so (it removed nothing): the watcher's first look, not asked again.
   */
  listing: ProjectListing | null;
}

/** What lem-tui's per-experiment config file is called, in any harness argv it starts. */
const HARNESS_MARK = '/_campaign_';

export async function sweepLeftovers(project: string, cli = 'docker'): Promise<LeftoverSweep> {
  const listing = await listProject(cli, project);
  const containers = listing?.containers ?? [];
  const stale = containers.filter((c) => c.oneoff || c.state !== 'running');
  const running = containers.filter((c) => !c.oneoff && c.state === 'running');
  const busy = (await Promise.all(running.map(async (c) => ((await runsHarness(cli, c.id)) ? c : null)))).filter((c) => c !== null);
  const removed = [...stale, ...busy];
  const failed = await forceRemove(
    cli,
    removed.map((c) => c.id),
  );
  const unchanged = removed.length === 0 ? listing : null;
  return { removed: stale.map((c) => c.name), failed, harnessStopped: busy.map((c) => c.name), listing: unchanged };
}

/** `docker top` lists the container's processes with their command lines. */
async function runsHarness(cli: string, id: string): Promise<boolean> {
  const top = await capture([cli, 'top', id], { timeoutMs: 15_000 });
  return top.exitCode === 0 && top.stdout.includes(HARNESS_MARK);
}

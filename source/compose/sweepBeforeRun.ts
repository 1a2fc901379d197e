// Before a run starts anything: remove what earlier runs of this campaign
// left in its compose project (and in the project an earlier lem-tui's
// manifest recorded). The run lock is held, so no live run owns them.
import { sweepProject } from './preflight.js';
import { sweepLeftovers } from './sweepLeftovers.js';
import type { ProjectListing } from './cleanup.js';

export interface SweptBeforeRun {
  /** A note per thing done, for the run's info notices. */
  notes: string[];
  /** The project as the sweep left it, when its `ps` still says so (the watcher's first look). */
  listing: ProjectListing | null;
}

export async function sweepBeforeRun(project: string, previousProject: string | undefined): Promise<SweptBeforeRun> {
  const notes: string[] = [];
  if (previousProject) {
    const old = await sweepProject(previousProject);
    if (old.removed.length > 0) notes.push(`removed ${old.removed.length} container(s) of this campaign's earlier compose project ${previousProject}`);
  }
  const swept = await sweepLeftovers(project);
  if (swept.removed.length > 0) notes.push(`removed ${swept.removed.length} container(s) an earlier run left behind: ${swept.removed.join(', ')}`);
  if (swept.harnessStopped.length > 0) {
    notes.push(`stopped the harness a dead run left running in ${swept.harnessStopped.join(', ')} (the container was removed)`);
  }
  for (const failure of swept.failed) notes.push(`could not remove a leftover container: ${failure}`);
  return { notes, listing: swept.listing };
}

// The last step of every teardown that ran `down` (ephemeral and persistent).
import type { EngineWatcher } from './engineWatcher.js';
import { sweepProjectResources, type SweepResult } from './cleanup.js';

/**
 * After `down`: one labelled `ps` (and `rm -f` of what it lists), which is
 * also the watcher's last look when it lists nothing. The networks are asked
 * about only when `down` failed or a container was left (one that stayed may
 * have kept its network); after a clean `down` they are gone with it.
 */
export async function sweepAfterDown(cli: string, project: string, watcher: EngineWatcher, downOk: boolean): Promise<SweepResult> {
  const sweep = await sweepProjectResources(cli, project, { networks: !downOk });
  if (sweep.removed.length === 0) {
    await watcher.reconcileFrom([]);
    return sweep;
  }
  const [again] = await Promise.all([downOk ? sweepProjectResources(cli, project) : null, watcher.reconcile()]);
  return { removed: sweep.removed, failed: [...sweep.failed, ...(again?.failed ?? [])] };
}

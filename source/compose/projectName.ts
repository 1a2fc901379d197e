// The compose project of a campaign run: `lem-<campaign id>-<folder key>`.
// The campaign id alone (md5 of the name) is not enough: two campaigns with
// the same campaign_name in two folders would share `lem-<id>`, and one
// run's start-up sweep and teardown would remove the other's containers.
// The key is of the state folder (where the manifest and the run lock live),
// so a project is exactly one manifest's: two runs that could share a project
// would also share the lock, which lets only one of them run.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function composeProjectName(campaignId: string, stateDir: string): string {
  return `lem-${campaignId}-${folderKey(stateDir)}`;
}

/** 6 hex of the md5 of the folder's real path (a dry run and the first real run agree: see realPath). */
export function folderKey(dir: string): string {
  return createHash('md5').update(realPath(path.resolve(dir)), 'utf8').digest('hex').slice(0, 6);
}

/** The real path of the nearest existing ancestor, plus the part not created yet. */
function realPath(absolute: string): string {
  const missing: string[] = [];
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    try {
      return path.join(fs.realpathSync(dir), ...missing);
    } catch {
      if (path.dirname(dir) === dir) return absolute;
      missing.unshift(path.basename(dir));
    }
  }
}

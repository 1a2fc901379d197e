// One lem-tui per campaign state dir: a second one would share the manifest
// and the compose project, and its start-up sweep would remove the first
// one's containers. The lock file holds the owner's pid; a lock whose pid is
// gone is stale and taken over.
import fs from 'node:fs/promises';
import path from 'node:path';
import { EnvironmentError } from '../domain/environmentError.js';

export interface RunLock {
  release(): Promise<void>;
}

export async function acquireRunLock(stateDir: string): Promise<RunLock> {
  await fs.mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, 'lem-tui.lock');
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => fs.rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new EnvironmentError(
          `another lem-tui (pid ${owner}) is running this campaign (lock ${file})`,
          'wait for it to finish, or stop it; a stale lock is taken over automatically',
        );
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new EnvironmentError(`could not take the lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

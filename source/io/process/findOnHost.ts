// A program on this host, before anything spawns it: a path (relative to
// the current directory) or a name on PATH; null when there is none. Asked
// of the harness (dispatch/chooseWhere.ts) and of Slurm's commands
// (io/slurm/slurmPreflight.ts).
import fs from 'node:fs';
import path from 'node:path';

export function findOnHost(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (command.includes('/')) {
    // Local dispatch runs in the current directory, so that is where a relative path points.
    const candidate = path.resolve(command);
    return isExecutableFile(candidate) ? candidate : null;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, command))) return path.join(dir, command);
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// Putting a manifest on disk: written atomically (a crash never leaves half
// a file), and moved aside, never deleted, when a run starts over.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomicWrite.js';
import type { Manifest } from './types.js';

export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Moves a manifest aside as `<name>.<UTC timestamp>.json` (never overwriting one) and returns the new path. */
export async function archiveManifest(file: string, now: Date): Promise<string> {
  const ext = path.extname(file) || '.json';
  const stem = path.join(path.dirname(file), path.basename(file, path.extname(file)));
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  for (let n = 1; ; n += 1) {
    const target = `${stem}.${stamp}${n > 1 ? `-${n}` : ''}${ext}`;
    if (await exists(target)) continue;
    await fs.promises.rename(file, target);
    return target;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.lstat(file);
    return true;
  } catch {
    return false;
  }
}

// Crash-safe file replacement: the target is always either the old content or
// the new, never half of either. Write a temp file beside it (same dir, so the
// rename stays on one filesystem and is atomic), fsync it so the rename cannot
// land before the data, rename, then fsync the dir so the rename itself
// survives a power cut.
import fs from 'node:fs';
import path from 'node:path';

let counter = 0;

function tempPathFor(target: string): string {
  counter += 1;
  const random = Math.random().toString(16).slice(2, 8);
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter}.${random}.tmp`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  try {
    // 'wx': a temp name that somehow exists is never written through.
    const handle = await fs.promises.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(target));
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms and filesystems cannot open or fsync a directory; the
    // rename is still atomic there, only its durability is weaker.
  }
}

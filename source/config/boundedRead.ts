// Reading a file that a user named, with a size limit that holds even for a
// pipe or a file that grows: a huge file is refused, never read into memory.
import { open, stat } from 'node:fs/promises';
import { ConfigError } from './errors.js';

/** Reads at most maxBytes; stats first so a big regular file is refused without reading it. */
export async function readBounded(absPath: string, maxBytes: number, fail: (message: string) => never): Promise<Buffer> {
  const tooBig = (size?: number) =>
    fail(`file is ${size === undefined ? 'larger than that' : formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`);
  let handle;
  try {
    const info = await stat(absPath);
    if (info.isDirectory()) fail('is a directory, expected a YAML file');
    if (info.isFile() && info.size > maxBytes) tooBig(info.size);
    handle = await open(absPath, 'r');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') fail('file not found');
    if (code === 'EACCES' || code === 'EPERM') fail('permission denied');
    fail(`cannot read the file: ${(error as Error).message}`);
  }
  try {
    // Read maxBytes + 1 to notice a file (or pipe) that is larger than its stat said.
    const buffer = Buffer.alloc(maxBytes + 1);
    let total = 0;
    while (total < buffer.length) {
      const { bytesRead } = await handle!.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) tooBig();
    return buffer.subarray(0, total);
  } finally {
    await handle!.close();
  }
}

export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 * 1024, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${Number.isInteger(n / size) ? n / size : (n / size).toFixed(1)} ${unit}`;
  }
  return `${n} bytes`;
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../source/campaign/atomicWrite.js';
import { readManifest } from '../../source/campaign/manifest.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VITE_NODE = path.join(ROOT, 'node_modules/.bin/vite-node');
const CHILD = path.join(import.meta.dirname, 'manifestWriter.child.ts');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates and replaces the target, leaving no temp file', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, new TextEncoder().encode('two'));
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('a failed write leaves the old content and no temp file', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'old');
    fs.mkdirSync(path.join(dir, 'blocker'));
    // Renaming a file over a non-empty directory fails after the temp file was written.
    fs.writeFileSync(path.join(dir, 'blocker', 'x'), '');
    await expect(writeFileAtomic(path.join(dir, 'blocker'), 'new')).rejects.toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.json', 'blocker']);
  });

  it('concurrent writers never interleave: the result is one of the writes, whole', async () => {
    const file = path.join(dir, 'a.json');
    const payloads = Array.from({ length: 20 }, (_, i) => String(i).repeat(50_000));
    await Promise.all(payloads.map((p) => writeFileAtomic(file, p)));
    expect(payloads).toContain(fs.readFileSync(file, 'utf8'));
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });
});

/** Starts the writer loop in a real child process; resolves once it wrote once. */
function startWriter(file: string): Promise<{ pid: number; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(VITE_NODE, [CHILD, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    void exited.then(() => reject(new Error('the writer exited before it wrote')));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^ready (\d+)$/.exec(line);
      if (m) resolve({ pid: Number(m[1]), exited });
    });
  });
}

describe('manifest writes survive kill -9', () => {
  it('a reader never sees a torn file, and after SIGKILL mid-loop the manifest is whole', { timeout: 150_000 }, async () => {
    const file = path.join(dir, '.state', 'campaign_manifest.json');
    for (let round = 0; round < 3; round += 1) {
      const writer = await startWriter(file);
      // Read while the writer rewrites the ~1 MB file: each read must parse.
      // Until it has been rewritten a few times (2 to 4 versions seen, so the
      // kill lands at a different point each round), not for a fixed time: on
      // a busy machine one rewrite can take longer than any fixed window.
      const versions = 2 + Math.floor(Math.random() * 3);
      const deadline = Date.now() + 40_000; // only bounds a writer that stopped writing
      let reads = 0;
      const seen = new Set<string>();
      try {
        while (seen.size < versions && Date.now() < deadline) {
          const m = await readManifest(file); // throws on a torn file
          expect(m?.experiments).toHaveLength(3000);
          seen.add(m!.updated_at);
          reads += 1;
        }
      } finally {
        process.kill(writer.pid, 'SIGKILL');
      }
      expect(await writer.exited).toBe('SIGKILL');
      const after = await readManifest(file);
      expect(after?.experiments).toHaveLength(3000);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(after);
      expect(reads).toBeGreaterThan(0);
      expect(seen.size).toBe(versions); // the writer really was rewriting it meanwhile
    }
  });
});

// The campaign's manifest as the engine changes it, and its writes to disk.
// Writes go one after another, in order. Changes made while a write is
// queued ride on it: it writes the newest manifest when its turn comes, so a
// burst of changes costs one write, not one per change (the whole manifest is
// rewritten each time: O(experiments)). The write itself is given, so the
// queue is tested without a disk.
import type { EntryPatch } from './manifest.js';
import { updateEntry } from './manifest.js';
import type { Manifest } from './types.js';

export interface ManifestWriterOptions {
  /** Persist one whole manifest (writeManifest to the manifest path, in the engine). */
  write: (manifest: Manifest) => Promise<void>;
  /** A failed write is reported, never thrown: the campaign goes on, the next write may succeed. */
  onError: (error: unknown) => void;
  now: () => number;
}

export class ManifestWriter {
  private manifest: Manifest;
  private writes: Promise<void> = Promise.resolve();
  private writeQueued = false;

  constructor(
    manifest: Manifest,
    private readonly options: ManifestWriterOptions,
  ) {
    this.manifest = manifest;
  }

  /** The manifest with every change so far (written or about to be). */
  get current(): Manifest {
    return this.manifest;
  }

  /** Change one entry now; the write follows, after the ones before it. */
  record(expId: string, patch: EntryPatch): void {
    this.manifest = updateEntry(this.manifest, expId, patch, new Date(this.options.now()));
    if (this.writeQueued) return;
    this.writeQueued = true;
    this.writes = this.writes
      .then(() => {
        this.writeQueued = false;
        return this.options.write(this.manifest);
      })
      .catch((error: unknown) => this.options.onError(error));
  }

  /** Resolves when every change recorded so far is on disk (or its write failed). */
  async flushed(): Promise<void> {
    let awaited: Promise<void>;
    do {
      awaited = this.writes;
      await awaited;
    } while (awaited !== this.writes);
  }
}

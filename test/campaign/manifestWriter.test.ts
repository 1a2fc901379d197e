// The engine's manifest write queue: in order, one write per burst, a failed
// write reported and the queue going on. The write is a fake that the test
// finishes by hand, so "a write is in progress" is a state, not a race.
import { describe, expect, it } from 'vitest';
import { createManifest } from '../../source/campaign/manifest.js';
import { ManifestWriter } from '../../source/campaign/manifestWriter.js';
import type { Manifest } from '../../source/campaign/types.js';
import { plan } from './planFixture.js';

function heldWrites() {
  const written: Manifest[] = [];
  const pending: { finish: () => void; fail: (error: Error) => void }[] = [];
  const write = (manifest: Manifest) =>
    new Promise<void>((resolve, reject) => {
      written.push(manifest);
      pending.push({ finish: resolve, fail: reject });
    });
  return { written, pending, write };
}

const statuses = (m: Manifest) => m.experiments.map((e) => e.status);
const tick = () => new Promise((resolve) => setImmediate(resolve));

function writer(write: (m: Manifest) => Promise<void>, errors: unknown[] = []) {
  const manifest = createManifest(plan(['a', 'b'], 1), { campaignFileHash: 'h', now: new Date(0) });
  return new ManifestWriter(manifest, { write, onError: (e) => errors.push(e), now: () => 1000 });
}

describe('ManifestWriter', () => {
  it('changes the manifest at once and stamps updated_at with its clock', () => {
    const w = writer(async () => {});
    w.record('0001', { status: 'running' });
    expect(statuses(w.current)).toEqual(['running', 'pending']);
    expect(w.current.updated_at).toBe(new Date(1000).toISOString());
  });

  it('a burst of changes while a write is in progress costs one more write, of the newest manifest', async () => {
    const { written, pending, write } = heldWrites();
    const w = writer(write);
    w.record('0001', { status: 'running' });
    await tick();
    expect(written).toHaveLength(1); // the first write has begun and is held
    w.record('0001', { status: 'completed' });
    w.record('0002', { status: 'running' });
    w.record('0002', { status: 'failed' });
    await tick();
    expect(written).toHaveLength(1); // the next waits its turn
    pending[0]!.finish();
    await tick();
    expect(written.map(statuses)).toEqual([
      ['running', 'pending'],
      ['completed', 'failed'],
    ]);
    pending[1]!.finish();
    await w.flushed();
    expect(written).toHaveLength(2);
  });

  it('writes never overlap: each begins after the one before has ended', async () => {
    let inFlight = 0;
    let most = 0;
    const w = writer(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
    });
    for (let n = 0; n < 5; n += 1) {
      w.record('0001', { retry_count: n });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await w.flushed();
    expect(most).toBe(1);
  });

  it('flushed() waits for the write a change queued, including one queued while it waited', async () => {
    const { written, pending, write } = heldWrites();
    const w = writer(write);
    w.record('0001', { status: 'running' });
    let done = false;
    const flushed = w.flushed().then(() => (done = true));
    await tick();
    w.record('0001', { status: 'completed' }); // rides on a second write
    pending[0]!.finish();
    await tick();
    expect(done).toBe(false);
    expect(written).toHaveLength(2);
    pending[1]!.finish();
    await flushed;
    expect(statuses(written[1]!)).toEqual(['completed', 'pending']);
  });

  it('a failed write is reported, not thrown, and the next change is written again', async () => {
    const { written, pending, write } = heldWrites();
    const errors: unknown[] = [];
    const w = writer(write, errors);
    w.record('0001', { status: 'running' });
    await tick();
    pending[0]!.fail(new Error('disk full'));
    await w.flushed();
    expect(errors).toEqual([new Error('disk full')]);
    w.record('0001', { status: 'completed' });
    await tick();
    pending[1]!.finish();
    await w.flushed();
    expect(written.map(statuses)).toEqual([
      ['running', 'pending'],
      ['completed', 'pending'],
    ]);
  });
});

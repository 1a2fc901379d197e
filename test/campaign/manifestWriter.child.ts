// Child process for atomicWrite.test.ts: rewrites one big manifest as fast as
// it can, forever, until the test kills it with SIGKILL.
import { createManifest, updateEntry, writeManifest } from '../../source/campaign/manifest.js';
import { plan } from './planFixture.js';

const file = process.argv[2];
if (!file) throw new Error('usage: manifestWriter.child.ts FILE');
let manifest = createManifest(plan(Array.from({ length: 500 }, (_, i) => `config_${i}`), 6), {
  campaignFileHash: 'h',
  now: new Date(),
});
for (let n = 1; ; n += 1) {
  const entry = manifest.experiments[n % manifest.experiments.length]!;
  manifest = updateEntry(manifest, entry.exp_id, { retry_count: n, error: `write ${n}` }, new Date());
  await writeManifest(file, manifest);
  if (n === 1) process.stdout.write(`ready ${process.pid}\n`);
}

// What the bundle holds, as `npm run build` makes it (scripts/bundle.mjs):
// every start that reads a campaign compiles the zod chunk, so zod's
// translations (~370 kB, all but English unused) must stay out of it. They
// come back if a file imports the namespace object `{ z }` as a value
// (esbuild then keeps every export of it): `import * as z from 'zod'` instead.
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

describe('bundle contents', () => {
  let meta: Metafile;
  beforeAll(async () => {
    const result = await build({
      entryPoints: ['source/cli.tsx'],
      outdir: 'dist-test-unused', // write: false, nothing lands there
      write: false,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['react-devtools-core'],
      metafile: true,
      logLevel: 'silent',
    });
    meta = result.metafile;
  }, 60_000);

  const bundled = () => Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));

  it('holds zod but only its English messages', () => {
    const zod = bundled().filter((input) => input.includes('node_modules/zod/')); // esbuild's paths use '/'
    expect(zod.length).toBeGreaterThan(0);
    const locales = zod.filter((input) => /\/locales\//.test(input)).map((input) => path.basename(input));
    expect(locales).toEqual(['en.js']);
  });
});

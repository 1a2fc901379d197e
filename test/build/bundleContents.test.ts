// What the bundle holds, as `npm run build` makes it (scripts/bundleOptions.mjs):
// every start that reads a campaign compiles the zod chunk, so zod's
// translations (~370 kB, all but English unused) must stay out of it. They
// come back if a file imports the namespace object `{ z }` as a value
// (esbuild then keeps every export of it): `import * as z from 'zod'` instead.
// The entry (dist/cli.js) must catch signals before the program loads, so it
// imports nothing statically but Node's own modules (test/cli/early-signals).
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { bundleOptions } from '../../scripts/bundleOptions.mjs';

describe('bundle contents', () => {
  let meta: Metafile;
  beforeAll(async () => {
    // The build's own options; written nowhere, only described.
    const result = await build({ ...bundleOptions, write: false, metafile: true, logLevel: 'silent' });
    meta = result.metafile;
  }, 60_000);

  const bundled = () => Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));

  it('holds zod but only its English messages', () => {
    const zod = bundled().filter((input) => input.includes('node_modules/zod/')); // esbuild's paths use '/'
    expect(zod.length).toBeGreaterThan(0);
    const locales = zod.filter((input) => /\/locales\//.test(input)).map((input) => path.basename(input));
    expect(locales).toEqual(['en.js']);
  });

  it('the entry imports nothing statically but Node built-ins: its signal catchers run before the program loads', () => {
    const entry = meta.outputs['dist/cli.js']!;
    const statics = entry.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path);
    expect(statics.filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(entry.imports.some((i) => i.kind === 'dynamic-import')).toBe(true);
  });
});

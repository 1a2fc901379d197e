// The options of the build in scripts/bundle.mjs, shared with the test of what
// the bundle holds (test/build/bundleContents.test.ts).
import { ansiTokenizeFastPath } from './ansiTokenizeFastPath.mjs';

export const bundleOptions = {
  entryPoints: ['source/cli.tsx'],
  outdir: 'dist',
  bundle: true,
  // Dynamic import() stays dynamic: --help loads only the entry chunk.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Stack traces of an unexpected error point into dist/; run with
  // `node --enable-source-maps dist/cli.js` to see source/ positions (on by
  // default it would parse the maps at every start).
  sourcemap: true,
  // Ink imports it only when DEV=true (React devtools); it is not installed.
  external: ['react-devtools-core'],
  // Bundled CommonJS dependencies (cross-spawn, signal-exit) call require().
  banner: { js: "import { createRequire as __lemCreateRequire } from 'node:module'; const require = __lemCreateRequire(import.meta.url);" },
  plugins: [ansiTokenizeFastPath],
  logLevel: 'warning',
};

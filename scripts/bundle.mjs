#!/usr/bin/env node
// Builds dist/ from source/ with esbuild: one file per lazily loaded part
// (the entry, the config/plan part, the engine, the TUI) instead of ~500
// module files. Node resolves and reads each file of node_modules one by one;
// bundled, a run starts ~0.25 s sooner (BENCHMARKS.md, section 1). tsc only
// type-checks (npm run build runs it first).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { ansiTokenizeFastPath } from './ansiTokenizeFastPath.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
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
});
chmodSync('dist/cli.js', 0o755);

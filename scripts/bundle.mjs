#!/usr/bin/env node
// Builds dist/ from source/ with esbuild: one file per lazily loaded part
// (the entry, the config/plan part, the engine, the TUI) instead of ~500
// module files. Node resolves and reads each file of node_modules one by one;
// bundled, a run starts ~0.25 s sooner (BENCHMARKS.md, section 1). tsc only
// type-checks (npm run build runs it first).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions } from './bundleOptions.mjs';

rmSync('dist', { recursive: true, force: true });
await build(bundleOptions);
chmodSync('dist/cli.js', 0o755);

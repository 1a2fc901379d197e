#!/usr/bin/env -S node --max-semi-space-size=4
// The V8 flag caps the young generation at 4 MB per semi-space (Node's default
// lets it grow to 16): each TUI frame is a few MB of short-lived objects in
// Ink, and with a large young generation the peak RSS under a log flood was
// ~152 MB; capped, ~141 MB at about the same CPU (BENCHMARKS.md, section 3).
// It cannot be set once V8 runs, hence the shebang (`env -S`: coreutils
// >= 8.30, macOS, BSD). `node dist/cli.js` runs without it.
//
// Entry. Its first lines catch SIGINT, SIGTERM and SIGHUP, before the program
// is loaded: while Node reads and compiles the rest (~100 ms) a signal would
// otherwise end lem-tui by the signal (143, 129) instead of 130. So this file
// imports nothing statically (an ESM static import loads before any line
// runs); the program (cliMain.ts) comes by import() and its start-up guard
// takes over the signal caught here. A second signal exits 130 at once.
const EARLY_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const early = {
  received: null as NodeJS.Signals | null,
  /** Removes the catcher: the start-up guard calls it once its own handlers are in place. */
  release() {
    for (const signal of EARLY_SIGNALS) process.off(signal, catchEarly);
  },
};
function catchEarly(signal: NodeJS.Signals): void {
  if (early.received) process.exit(130);
  early.received = signal;
}
for (const signal of EARLY_SIGNALS) process.on(signal, catchEarly);

void import('./cliMain.js').then((program) => program.start(early));

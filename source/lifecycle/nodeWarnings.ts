// Node's own warnings (a deprecation, a possible listener leak) are about
// lem-tui's code, not the user's campaign, and Node prints them on stderr,
// where they land over the TUI's screen. takeNodeWarnings() removes Node's
// printer and hands each warning to the current sink instead: during a run a
// notice in the state (the notices panel, a plain line, a --json event),
// before and after the run one line on stderr (no TUI is drawn then).
type Sink = (text: string) => void;

const toStderr: Sink = (text) => process.stderr.write(`lem-tui: ${text}\n`);
let sink: Sink = toStderr;
let taken = false;

/** Replaces Node's printing of warnings (once; call first thing). */
export function takeNodeWarnings(): void {
  if (taken) return;
  taken = true;
  process.removeAllListeners('warning');
  process.on('warning', (warning) => sink(`Node warning (a fault of lem-tui, not of the campaign): ${warning.name}: ${warning.message}`));
}

/** Sends warnings to `to` until the returned function is called. */
export function routeNodeWarnings(to: Sink): () => void {
  const previous = sink;
  sink = to;
  return () => {
    sink = previous;
  };
}

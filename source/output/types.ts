// What every output (tui, plain, ndjson) is to the composition root: it is
// attached to the store and to `send` (the commands it may give), and it says
// when the user is done with a finished campaign.

/** Asks a yes/no question of the user; `defaultYes` is what Enter answers. */
export type Ask = (question: string, defaultYes: boolean) => Promise<boolean>;

export interface Output {
  /** Asks in the terminal (the TUI's question screen); null where there is no one to ask. */
  readonly ask: Ask | null;
  /** Starts showing the campaign (the TUI mounts; line outputs print from the start). */
  show(): void;
  /** The campaign ended: resolves when the user is done with it (TUI: leaves the summary). */
  finished(nothingStarted: boolean, quitting: boolean): Promise<void>;
  /** A signal arrived during start-up: a question on screen stops waiting (the start-up ends, 130). */
  interrupt(signal: NodeJS.Signals): void;
  /** Stops showing (also after a hangup: the terminal is gone). Safe to call twice. */
  close(): void;
}

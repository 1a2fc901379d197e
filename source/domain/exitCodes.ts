/** The process exit codes lem-tui promises (README, "Exit codes"). */
export const EXIT = {
  ok: 0, // every experiment completed
  someFailed: 1, // the campaign ran, some experiments failed
  badInput: 2, // bad input or environment: nothing was started
  interrupted: 130, // quit, Ctrl-C or a signal, after cleanup
} as const;

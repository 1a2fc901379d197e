// A check before any experiment starts failed: ONE clear message with a hint.
// The CLI maps it to exit code 2 (bad input or environment, nothing started).
export type PreflightProblem =
  | 'docker-missing'
  | 'engine-unreachable'
  | 'engine-permission'
  | 'compose-missing'
  | 'compose-file-missing'
  | 'compose-file-invalid'
  | 'service-undefined'
  | 'mount-missing'
  | 'image-missing';

export class PreflightError extends Error {
  /** The exit code the CLI uses: bad input or environment, nothing started. */
  readonly exitCode = 2;
  constructor(
    readonly problem: PreflightProblem,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'PreflightError';
  }
}

/** The first `n` lines of what a tool printed, for a message. */
export const firstLines = (s: string, n = 6): string => s.trim().split('\n').slice(0, n).join('\n');

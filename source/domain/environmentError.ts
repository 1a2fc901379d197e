/** The environment cannot run the campaign (no engine, missing image, ...): exit 2, nothing started. */
export class EnvironmentError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

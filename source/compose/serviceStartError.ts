// A service that did not start (or come back): `service` is null when the
// whole `up` failed.
export class ServiceStartError extends Error {
  constructor(
    message: string,
    readonly service: string | null,
  ) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

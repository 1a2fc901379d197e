// The one rule of a dispatcher's shutdown: once it has begun, restarts are
// refused, and it first waits for the restarts (and runs) already under way.
// A restart (`r`) can arrive while the engine tears down, or be in flight
// when teardown begins: its `up -d` would then start the service after
// `down` and leave it running.
export class ShutdownGate {
  private closed: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  get isClosed(): boolean {
    return this.closed !== null;
  }

  /** Runs `restart` unless shutdown has begun (then rejects without running it). */
  restart(restart: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the services are being torn down'));
    return this.track(restart());
  }

  /** Counts `work` as under way until it settles; shutdown waits for it. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => void this.inFlight.delete(settled),
      () => void this.inFlight.delete(settled),
    );
    this.inFlight.add(settled);
    return work;
  }

  /** Closes the gate once: `beforeWait` (cancel runs), wait for what is under way, then `shutdown`. */
  close(shutdown: () => Promise<void>, beforeWait: () => void = () => {}): Promise<void> {
    this.closed ??= (async () => {
      beforeWait();
      while (this.inFlight.size > 0) await Promise.all(this.inFlight);
      await shutdown();
    })();
    return this.closed;
  }
}

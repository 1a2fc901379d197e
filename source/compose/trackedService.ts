// What the engine watcher keeps per service (engineWatcher.ts).
import type { ContainerState } from './types.js';

export interface TrackedService {
  state: ContainerState;
  engineRestarts: number;
  ourRestarts: number;
  /** Time of the last event applied, so an older reconcile snapshot does not overwrite it. */
  eventAt: number;
  oomKilled: boolean;
  /** Its containers running now (one-off runs of one service on several GPUs run side by side). */
  running: Set<string>;
}

/** A service the watcher has not seen a container of yet. */
export function untrackedService(service: string): TrackedService {
  return {
    state: { service, status: 'stopped', restarts: 0, startedAt: null, lastExitCode: null, containerId: null, message: null },
    engineRestarts: 0,
    ourRestarts: 0,
    eventAt: 0,
    oomKilled: false,
    running: new Set(),
  };
}

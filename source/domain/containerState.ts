// What a backend service's container is doing, as the compose layer observes
// it and every view shows it.

export type ServiceStatus = 'stopped' | 'starting' | 'running' | 'exited' | 'error';

export interface ContainerState {
  service: string;
  status: ServiceStatus;
  /** The engine's RestartCount plus the restarts we made. */
  restarts: number;
  startedAt: number | null; // epoch ms
  lastExitCode: number | null;
  containerId: string | null;
  /** e.g. "exited right after start: check the image's command" */
  message: string | null;
}

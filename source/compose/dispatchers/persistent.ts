// Persistent dispatch: the ContainerManager's services, one `exec` per experiment.
import type { ContainerState, Dispatcher, DispatchRequest, RunOptions, RunOutcome } from '../types.js';
import { ContainerManager, type ContainerManagerOptions, type LeftRunning } from '../ContainerManager.js';
import { execArgv, maskSecrets } from '../argv.js';

export interface PersistentDispatcher extends Dispatcher {
  readonly manager: ContainerManager;
  /** For auto_teardown off: what stays running and the command that stops it. */
  leftRunning(): Promise<LeftRunning>;
}

export function createPersistentDispatcher(managerOrOptions: ContainerManager | ContainerManagerOptions): PersistentDispatcher {
  const manager = managerOrOptions instanceof ContainerManager ? managerOrOptions : new ContainerManager(managerOrOptions);
  return {
    kind: 'persistent',
    manager,
    prepare(signal: AbortSignal) {
      return manager.startAll(signal);
    },
    run(req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
      return manager.exec(req.service, req, opts);
    },
    describe(req: DispatchRequest): string[] {
      return maskSecrets(execArgv(manager.composeTarget, req), req.secretKeys);
    },
    restartService(service: string) {
      return manager.restartService(service);
    },
    async teardown() {
      await manager.stopAll();
    },
    onState(listener: (state: ContainerState) => void) {
      return manager.onState(listener);
    },
    leftRunning() {
      return manager.leftRunning();
    },
    gpuMemory(service: string) {
      return manager.gpuMemory(service);
    },
  };
}

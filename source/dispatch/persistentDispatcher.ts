// Persistent dispatch: the ContainerManager's services, one `exec` per experiment.
// With GPU slots (ContainerManagerOptions.gpuSlots) each slot's experiments
// run in its own service (serviceFor: "pytorch-gpu0"); restart, gpuMemory and
// the health checks take that name.
import type { ContainerState } from '../domain/containerState.js';
import type { Dispatcher } from './types.js';
import type { DispatchRequest, RunOptions, RunOutcome } from '../domain/runRequest.js';
import { ContainerManager, type ContainerManagerOptions } from '../compose/ContainerManager.js';
import { downArgv, execArgv, maskSecrets, upArgv, userCommand } from '../compose/argv.js';
import { composeClientEnv } from '../compose/clientEnv.js';
import { ShutdownGate } from './shutdownGate.js';

export function createPersistentDispatcher(managerOrOptions: ContainerManager | ContainerManagerOptions): Dispatcher {
  const manager = managerOrOptions instanceof ContainerManager ? managerOrOptions : new ContainerManager(managerOrOptions);
  const gate = new ShutdownGate();
  const down = downArgv(manager.composeTarget, manager.stopGraceSeconds);
  return {
    capabilities: { keepsServicesUp: true, restartsServices: true, coldStart: true },
    commands: {
      up: upArgv(manager.composeTarget, manager.startedServices),
      upServices: [...manager.startedServices],
      down,
      stopHint: userCommand(down, composeClientEnv()),
    },
    prepare(signal: AbortSignal) {
      return manager.startAll(signal);
    },
    adoptListing(listing) {
      manager.watcher.adopt(listing);
    },
    run(req: DispatchRequest, opts: RunOptions): Promise<RunOutcome> {
      return manager.exec(manager.serviceFor(req.service, req.gpus), req, opts);
    },
    describe(req: DispatchRequest): string[] {
      const service = manager.serviceFor(req.service, req.gpus);
      return maskSecrets(execArgv(manager.composeTarget, { ...req, service }), req.secretKeys);
    },
    serviceFor(service: string, gpus: readonly string[]) {
      return manager.serviceFor(service, gpus);
    },
    restart(service: string) {
      return gate.restart(() => manager.restartService(service));
    },
    shutdown() {
      return gate.close(async () => {
        await manager.stopAll();
      });
    },
    onState(listener: (state: ContainerState) => void) {
      return manager.onState(listener);
    },
    async leftRunning() {
      try {
        return await manager.leftRunning();
      } catch {
        return null;
      }
    },
    gpuMemory(service: string) {
      return manager.gpuMemory(service);
    },
  };
}

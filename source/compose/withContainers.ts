import type { ContainerManager } from './ContainerManager.js';
import type { LeftRunning } from '../domain/runRequest.js';

/**
 * Run `fn` with the manager's containers; with autoTeardown, stopAll runs on
 * every exit path (return, throw, cancel). Without it, the result says what
 * is left running and the command that stops it.
 */
export async function withContainers<T>(
  manager: ContainerManager,
  fn: (manager: ContainerManager) => Promise<T>,
  options: { autoTeardown: boolean },
): Promise<{ result: T; left: LeftRunning | null }> {
  let result: T;
  try {
    result = await fn(manager);
  } catch (error) {
    if (options.autoTeardown) await manager.stopAll();
    else await manager.watcher.stop();
    throw error;
  }
  if (options.autoTeardown) {
    await manager.stopAll();
    return { result, left: null };
  }
  return { result, left: await manager.leftRunning() };
}

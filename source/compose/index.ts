// The compose layer's entry points for the engine and the CLI. Everything
// that starts an external process lives below this folder.
export type { ComposeFlavour, ComposeTarget, Dispatcher, DispatcherCapabilities, DispatcherCommands, DispatchRequest, LeftRunning, RunOptions, RunOutcome } from './types.js';
export { detectFlavour, guessFlavour, composeTarget, parseComposeCommand, engineCli, type DetectedFlavour } from './flavour.js';
export { preflight, readServiceMounts, engineAvailable, sweepProject, checkEngine, PreflightError, type PreflightOptions, type PreflightResult } from './preflight.js';
export { hostDirsFromMounts, CONTAINER_CONFIGS_DIR, CONTAINER_RESULTS_DIR, type HostDirs } from './hostDirs.js';
export { composeProjectName } from './projectName.js';
export { createLocalDispatcher, type LocalDispatcherOptions } from './dispatchers/local.js';
export { createEphemeralDispatcher, type EphemeralDispatcher, type EphemeralDispatcherOptions } from './dispatchers/ephemeral.js';
export { createPersistentDispatcher } from './dispatchers/persistent.js';
export { ContainerManager, type ContainerManagerOptions, type StopReport } from './ContainerManager.js';
export { ServiceStartError } from './serviceStartError.js';
export { withContainers } from './withContainers.js';
export { gpuServicesOf, persistentGpuSlots, serviceForSlot, startedServices, type GpuService, type PersistentGpuSlot } from './gpuServices.js';
export { maskSecrets, ephemeralContainerName, downArgv } from './argv.js';
export { composeClientEnv } from './clientEnv.js';

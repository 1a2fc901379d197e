// How to call compose: the flavour and the argv prefix with the project and
// its files. (The dispatcher contract is dispatch/types.ts; the run request
// and outcome are domain/runRequest.ts.)

export type ComposeFlavour = 'v2' | 'v1' | 'podman';

/** How to call compose: the argv prefix (e.g. ["docker","compose"]) plus project and files. */
export interface ComposeTarget {
  flavour: ComposeFlavour;
  command: string[]; // ["docker","compose"] | ["docker-compose"] | ["podman","compose"]
  project: string; // "lem-<campaign_id>"
  files: string[]; // absolute paths, passed as -f in order
}

export type { ContainerState, ServiceStatus } from '../domain/containerState.js';

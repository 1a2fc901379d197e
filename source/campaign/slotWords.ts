// What an experiment run needs to know of the slot it runs in: which slot,
// its GPUs, and the name of its long-lived service (persistent mode with
// --gpus runs one service container per GPU slot).
import type { Dispatcher } from '../dispatch/types.js';
import { gpuLabels, type SlotGpu } from '../domain/gpuSlots.js';

export interface SlotWords {
  index: number;
  gpus: SlotGpu[] | null;
  /** GPU labels ("0", "1") for the views and the dispatcher; null without --gpus. */
  labels: string[] | null;
  serviceOf: (service: string) => string;
}

export function slotWords(dispatcher: Dispatcher, index: number, gpus: SlotGpu[] | null): SlotWords {
  const labels = gpus ? gpuLabels(gpus) : null;
  const serviceOf = (service: string) => (labels && dispatcher.serviceFor ? dispatcher.serviceFor(service, labels) : service);
  return { index, gpus, labels, serviceOf };
}

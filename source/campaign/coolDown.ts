// A gap that waits for the GPUs to cool instead of a fixed sleep: it ends
// once every GPU the next experiment uses meets the target, but never before
// minMs (readings settle; a gap of 0 does not become a busy loop) and never
// after maxMs. Each new sample updates what it waits for in the state.
import type { CoolDownTarget } from '../gpu/coolDownTarget.js';
import { stillWarm } from '../gpu/coolDownTarget.js';
import { visibleGpuIndices } from '../gpu/visibleDevices.js';
import type { GpuSampleHub } from './gpuMeter.js';

export interface CoolDownOptions {
  hub: GpuSampleHub;
  target: CoolDownTarget;
  cudaVisibleDevices: string | undefined;
  minMs: number;
  maxMs: number;
  signal: AbortSignal;
  /** What it still waits for (null: cool), on every sample. */
  onWaiting: (waitingFor: string | null) => void;
}

/** 'cool': the target was met; 'timeout': maxMs passed first (with what was still warm); 'aborted'. */
export type CoolDownEnd = { end: 'cool' } | { end: 'timeout'; waitingFor: string | null } | { end: 'aborted' };

export function coolDown(options: CoolDownOptions): Promise<CoolDownEnd> {
  const { hub, target, minMs, signal, onWaiting } = options;
  const maxMs = Math.max(minMs, options.maxMs);
  return new Promise((resolve) => {
    let waitingFor: string | null = 'no GPU reading yet';
    let minPassed = false;
    const check = () => {
      const sample = hub.latest();
      waitingFor = sample ? stillWarm(sample, visibleGpuIndices(options.cudaVisibleDevices, sample.gpus), target) : 'no GPU reading yet';
      onWaiting(waitingFor);
      if (minPassed && waitingFor === null) finish({ end: 'cool' });
    };
    const unsubscribe = hub.subscribe(check);
    const minTimer = setTimeout(() => {
      minPassed = true;
      check();
    }, minMs);
    const maxTimer = setTimeout(() => finish({ end: 'timeout', waitingFor }), maxMs);
    const onAbort = () => finish({ end: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    let done = false;
    function finish(end: CoolDownEnd) {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(minTimer);
      clearTimeout(maxTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(end);
    }
    if (signal.aborted) onAbort();
    else check();
  });
}

// Scenes with --gpus 0,1: two experiments at once, one per GPU, built through
// the reducer like every other scene, with a fixed clock.
import { campaignReducer } from '../../source/state/reducer.js';
import type { Action, CampaignState } from '../../source/state/types.js';
import { id, meta, metrics, MIN, NOW, planned, play, plannedExperiments, service, T0 } from './fixtures.js';
import { gpuSamples } from './gpuFixtures.js';

export const gpuMeta = { ...meta, gpus: ['0', '1'], slots: 2 };

function on(i: number, at: number, gpu: string, slot: number): Action {
  return { type: 'experiment/started', at, expId: id(i), attempt: 1, gpus: [gpu], slot };
}

function done(i: number, at: number, ms: number): Action {
  return { type: 'experiment/finished', at, expId: id(i), status: 'completed', exitCode: 0, reason: null, durationMs: ms, metrics: metrics(1000 + 10 * i, 20_000, 60) };
}

/** Ten minutes in: four done (two per GPU); 0005 pytorch_bs4 runs on GPU 0, 0006 vllm_bs8 on GPU 1. */
export function parallelState(extra: Action[] = []): CampaignState {
  return play([
    ...planned(plannedExperiments(), gpuMeta),
    { type: 'campaign/starting', at: T0, services: [] },
    service(T0, 'pytorch'),
    service(T0, 'vllm'),
    { type: 'campaign/started', at: T0 },
    on(0, T0, '0', 0),
    on(1, T0, '1', 1),
    done(0, T0 + 2 * MIN, 2 * MIN),
    on(2, T0 + 2 * MIN, '0', 0),
    done(1, T0 + 3 * MIN, 3 * MIN),
    on(3, T0 + 3 * MIN, '1', 1),
    done(2, T0 + 5 * MIN, 3 * MIN),
    done(3, T0 + 6 * MIN, 3 * MIN),
    on(4, NOW - 60_000, '0', 0),
    on(5, NOW - 30_000, '1', 1),
    { type: 'experiment/output', at: NOW - 5000, expId: id(4), lines: ['pytorch step 1', 'pytorch step 2'] },
    { type: 'experiment/output', at: NOW - 3000, expId: id(5), lines: ['vllm step 1', 'vllm step 2', 'vllm step 3'] },
    { type: 'tick', at: NOW },
    ...extra,
  ]);
}

/** The parallel scene with both GPUs sampled for a minute. */
export function parallelGpuState(): CampaignState {
  return gpuSamples(2).reduce(campaignReducer, parallelState());
}

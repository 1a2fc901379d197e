// Scenes of persistent mode with --gpus: one long-lived service per GPU slot
// ("pytorch-gpu0", "pytorch-gpu1", ...), the panel's rows, while each running
// experiment names its plan's service ("pytorch"). Built through the reducer,
// as the engine reports them: each start says the slot's service it runs in.
import type { Action, CampaignState } from '../../source/state/types.js';
import { id, meta, MIN, NOW, play, plannedExperiments, service, T0 } from './fixtures.js';
import { gpuSamples } from './gpuFixtures.js';

const ONE_BACKEND = [{ name: 'pytorch_bs4', backend: 'pytorch' }];

/** The per-GPU services of `gpus` GPU slots of the backend pytorch: pytorch-gpu0, pytorch-gpu1, ... */
export const slotServices = (gpus: number) => Array.from({ length: gpus }, (_, g) => `pytorch-gpu${g}`);

function slotMeta(gpus: number) {
  const labels = Array.from({ length: gpus }, (_, g) => String(g));
  return { ...meta, gpus: labels, slots: gpus };
}

function on(i: number, at: number, slot: number): Action {
  return { type: 'experiment/started', at, expId: id(i), attempt: 1, gpus: [String(slot)], slot, service: `pytorch-gpu${slot}` };
}

/**
 * `gpus` GPU slots, one backend (pytorch), all per-GPU services up; the slots
 * listed in `busy` run one experiment each (experiment i on slot busy[i]),
 * started a minute ago apart by a second, quiet for a few seconds.
 */
export function slotServicesState(gpus: number, busy: readonly number[], extra: Action[] = []): CampaignState {
  const services = slotServices(gpus);
  return play([
    { type: 'campaign/planned', at: T0 - MIN, meta: slotMeta(gpus), experiments: plannedExperiments(12, ONE_BACKEND), services },
    { type: 'campaign/starting', at: T0, services },
    ...services.map((s) => service(T0, s)),
    { type: 'campaign/started', at: T0 },
    ...busy.map((slot, i) => on(i, NOW - MIN + i * 1000, slot)),
    ...busy.map((_, i): Action => ({ type: 'experiment/output', at: NOW - 2000 - i * 1000, expId: id(i), lines: [`step on ${id(i)}`] })),
    { type: 'tick', at: NOW },
    ...extra,
  ]);
}

/** The same with each GPU sampled for a minute (the GPU panel takes its lines too). */
export function slotServicesGpuState(gpus: number, busy: readonly number[]): CampaignState {
  return slotServicesState(gpus, busy, gpuSamples(gpus));
}

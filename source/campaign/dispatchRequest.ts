// What the harness is asked to run for one experiment: argv and environment
// (LEM-FORMATS.md, "Dispatch"). Pure: the caller passes the process env and ids.
import os from 'node:os';
import path from 'node:path';
import type { RunSettings } from '../config/types.js';
import type { DispatchRequest } from '../domain/runRequest.js';
import type { Plan, PlannedExperiment } from '../plan/types.js';
import type { Where } from '../domain/where.js';

import { CONTAINER_CONFIGS_DIR, CONTAINER_RESULTS_DIR } from '../compose/hostDirs.js';
import { gpuLabels, visibleDevicesValue, type SlotGpu } from '../domain/gpuSlots.js';

/** Variables passed through from the caller when set; their values are never printed. */
export const SECRET_ENV = ['HF_TOKEN'] as const;
const PASSTHROUGH_ENV = ['HF_TOKEN', 'CUDA_VISIBLE_DEVICES'] as const;

export function experimentConfigFileName(expId: string): string {
  return `_campaign_${expId}.yaml`;
}

export interface CallerIdentity {
  uid: number;
  gid: number;
}

// Once per process: os.userInfo() reads the user database on every call, and
// --dry-run asks for every experiment (10,000 in a big grid: 0.8 s of 1.3 s).
let caller: CallerIdentity | null = null;

/** The uid/gid lem-tui runs as (PUID/PGID when the caller's environment has none). */
export function callerIdentity(): CallerIdentity {
  if (!caller) {
    const { uid, gid } = os.userInfo();
    caller = { uid, gid };
  }
  return caller;
}

export function buildDispatchRequest(
  plan: Plan,
  experiment: PlannedExperiment,
  settings: RunSettings,
  where: Where,
  env: NodeJS.ProcessEnv,
  caller: CallerIdentity,
  gpus: readonly SlotGpu[] | null = null,
): DispatchRequest {
  const fileName = experimentConfigFileName(experiment.expId);
  const local = where === 'local';
  const configPath = local ? path.join(settings.configsDir, fileName) : `${CONTAINER_CONFIGS_DIR}/${fileName}`;
  const argv = [...settings.lemCommand, 'experiment', configPath, '--yes', '--fresh'];
  if (settings.dataset) argv.push('--dataset', settings.dataset);
  if (settings.numSamples !== null) argv.push('--sample-size', String(settings.numSamples));
  // On the host the harness must write where we read; in a container the
  // results dir is bind-mounted at /app/results, so only pass it when the user named one.
  if (local) argv.push('--results-dir', settings.resultsDir);
  else if (settings.resultsDirGiven) argv.push('--results-dir', CONTAINER_RESULTS_DIR);

  const requestEnv: Record<string, string> = {
    LEM_CAMPAIGN_ID: plan.campaignId,
    LEM_CAMPAIGN_NAME: plan.campaignName,
    LEM_CYCLE: String(experiment.cycleIndex + 1),
    LEM_TOTAL_CYCLES: String(plan.cycles),
    LLM_ENERGY_VERBOSITY: settings.verbosity,
    PUID: env.PUID ?? String(caller.uid),
    PGID: env.PGID ?? String(caller.gid),
  };
  for (const key of PASSTHROUGH_ENV) {
    const value = env[key];
    if (value !== undefined) requestEnv[key] = value;
  }
  if (gpus) Object.assign(requestEnv, slotGpuEnv(gpus, local, env));
  return {
    expId: experiment.expId,
    service: experiment.config.service,
    argv,
    env: requestEnv,
    secretKeys: SECRET_ENV.filter((key) => key in requestEnv),
    timeoutMs: settings.experimentTimeoutSeconds * 1000,
    inactivityMs: 0,
    stuckMs: settings.stuckAfterSeconds * 1000,
    ...(gpus ? { gpus: gpuLabels(gpus) } : {}),
  };
}

/**
 * A slot's GPUs for the harness: CUDA_VISIBLE_DEVICES, and in a container
 * NVIDIA_VISIBLE_DEVICES too (the NVIDIA runtime reads it). UUIDs when known
 * (domain/gpuSlots.ts says why); CUDA_DEVICE_ORDER=PCI_BUS_ID so that an index
 * means the GPU nvidia-smi calls by it (CUDA's default order is fastest first).
 */
function slotGpuEnv(gpus: readonly SlotGpu[], local: boolean, env: NodeJS.ProcessEnv): Record<string, string> {
  const value = visibleDevicesValue(gpus);
  const out: Record<string, string> = { CUDA_VISIBLE_DEVICES: value, CUDA_DEVICE_ORDER: env.CUDA_DEVICE_ORDER || 'PCI_BUS_ID' };
  if (!local) out.NVIDIA_VISIBLE_DEVICES = value;
  return out;
}

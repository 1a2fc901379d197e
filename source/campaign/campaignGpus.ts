// The GPU slots of a campaign run with --gpus: the GPUs asked for, checked
// against `nvidia-smi -L` (and their UUIDs learned), cut into slots of
// gpus_per_experiment. Without --gpus: null, one experiment at a time.
import type { RunSettings } from '../config/types.js';
import { listGpus } from '../compose/listGpus.js';
import { EnvironmentError } from '../domain/environmentError.js';
import { gpuGroups, gpuLabels, type SlotGpu } from '../domain/gpuSlots.js';
import { resolveGpus } from '../gpu/smiList.js';

export interface CampaignGpus {
  gpus: SlotGpu[];
  /** One entry per slot: the GPUs it holds. */
  slots: SlotGpu[][];
  /** Worth a notice: GPUs taken as given (no nvidia-smi), GPUs left idle. */
  notes: string[];
}

export async function campaignGpus(settings: Pick<RunSettings, 'gpus' | 'gpusPerExperiment'>, smiArgv?: string[]): Promise<CampaignGpus | null> {
  if (!settings.gpus) return null;
  const listed = await listGpus(smiArgv);
  const resolved = resolveGpus(settings.gpus, 'gpus' in listed ? listed.gpus : null, 'unavailable' in listed ? listed.unavailable : '');
  if ('error' in resolved) throw new EnvironmentError(resolved.error, 'list the GPUs with nvidia-smi -L; --gpus takes their indices or UUIDs');
  const { gpus } = resolved;
  const per = settings.gpusPerExperiment;
  if (per > gpus.length) {
    throw new EnvironmentError(
      `runner.gpus_per_experiment is ${per}, but --gpus gives ${gpus.length} GPU${gpus.length === 1 ? '' : 's'} (${gpuLabels(gpus).join(',')})`,
      'list at least as many GPUs as one experiment needs',
    );
  }
  const slots = gpuGroups(gpus, per);
  const notes: string[] = [];
  if ('unavailable' in listed) notes.push(`--gpus: ${listed.unavailable}; the GPUs are passed on as given (${gpus.map((g) => g.id).join(',')})`);
  const idle = gpus.slice(slots.length * per);
  if (idle.length > 0) notes.push(`--gpus: GPU ${gpuLabels(idle).join(',')} left idle (not enough for a slot of ${per})`);
  return { gpus, slots, notes };
}

/** "4 experiments at once, one per GPU slot: 0 | 1 | 2 | 3" (dry run, notices). */
export function gpuSlotsLine(gpus: CampaignGpus): string {
  const n = gpus.slots.length;
  const slots = gpus.slots.map((slot) => gpuLabels(slot).join(',')).join(' | ');
  return `--gpus: ${n} experiment${n === 1 ? '' : 's'} at once, one per GPU slot: ${slots} (CUDA_VISIBLE_DEVICES per slot; dry run assigns as if every experiment took the same time)`;
}

// The GPU slots of a campaign run with --gpus: the GPUs asked for, checked
// against `nvidia-smi -L` (and their UUIDs learned), cut into slots of
// gpus_per_experiment. Without --gpus: null, one experiment at a time.
import type { RunSettings } from '../config/types.js';
import { ConfigError } from '../config/errors.js';
import { settingIssue, settingLabel, type SettingPlace, type SettingPlaces } from '../config/settingPlaces.js';
import { listGpus } from '../io/nvidia/listGpus.js';
import { EnvironmentError } from '../domain/environmentError.js';
import { gpuGroups, gpuLabels, type SlotGpu } from '../domain/gpuSlots.js';
import { resolveGpus } from '../io/nvidia/smiList.js';

export interface CampaignGpus {
  gpus: SlotGpu[];
  /** One entry per slot: the GPUs it holds. */
  slots: SlotGpu[][];
  /** Worth a notice: GPUs taken as given (no nvidia-smi), GPUs left idle. */
  notes: string[];
}

type GpuSettings = Pick<RunSettings, 'gpus' | 'gpusPerExperiment' | 'places'>;

export async function campaignGpus(settings: GpuSettings, smiArgv?: string[]): Promise<CampaignGpus | null> {
  if (!settings.gpus) return null;
  const { places } = settings;
  const listed = await listGpus(smiArgv);
  const resolved = resolveGpus(settings.gpus, 'gpus' in listed ? listed.gpus : null, 'unavailable' in listed ? listed.unavailable : '');
  if ('error' in resolved) throw gpusError(places.gpus, resolved.error);
  const { gpus } = resolved;
  const per = settings.gpusPerExperiment;
  if (per > gpus.length) {
    const given = `${gpus.length} GPU${gpus.length === 1 ? '' : 's'} (${gpuLabels(gpus).join(',')})`;
    const message = `${per} GPUs per experiment, but ${settingLabel(places.gpus)} gives ${given}: list at least as many GPUs as one experiment needs`;
    throw new ConfigError([settingIssue(places.gpusPerExperiment, message)]);
  }
  const slots = gpuGroups(gpus, per);
  const notes: string[] = [];
  const label = settingLabel(places.gpus);
  if ('unavailable' in listed) notes.push(`${label}: ${listed.unavailable}; the GPUs are passed on as given (${gpus.map((g) => g.id).join(',')})`);
  const idle = gpus.slice(slots.length * per);
  if (idle.length > 0) notes.push(`${label}: GPU ${gpuLabels(idle).join(',')} left idle (not enough for a slot of ${per})`);
  return { gpus, slots, notes };
}

/** A GPU setting nvidia-smi contradicts: as before for --gpus (with a hint); at its file:line:col for runner.gpus. */
function gpusError(place: SettingPlace, error: string): Error {
  if (place.source === 'flag') {
    return new EnvironmentError(`--gpus${error.startsWith('all') ? ' ' : ': '}${error}`, 'list the GPUs with nvidia-smi -L; --gpus takes their indices or UUIDs');
  }
  return new ConfigError([settingIssue(place, error)]);
}

/** "4 experiments at once, one per GPU slot: 0 | 1 | 2 | 3" (dry run, notices). */
export function gpuSlotsLine(gpus: CampaignGpus): string {
  const n = gpus.slots.length;
  const slots = gpus.slots.map((slot) => gpuLabels(slot).join(',')).join(' | ');
  return `--gpus: ${n} experiment${n === 1 ? '' : 's'} at once, one per GPU slot: ${slots} (CUDA_VISIBLE_DEVICES per slot; dry run assigns as if every experiment took the same time)`;
}

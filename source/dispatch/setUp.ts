// The one set-up of a dispatch, called by the run (runCampaign.ts) and the
// dry run (printDryRun.ts) alike: from the prepared campaign and the flags to
// the dispatcher, the settings it runs with and the slots it offers (GPU
// slots from --gpus, or Slurm's job limit), with every refusal a run makes
// before it starts anything. Kept in one place so that the two cannot drift:
// what a run refuses, a dry run refuses with the same words and exit 2.
// Only what needs the engine differs (resolveDispatch: a dry run never
// preflights, and says where a real run would stop instead of stopping).
import type { CliFlags, RunSettings } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import { persistentGpuSlots } from '../compose/gpuServices.js';
import { campaignGpus, type CampaignGpus } from './campaignGpus.js';
import { onSlurm } from './onSlurm.js';
import { resolveDispatch, type ResolvedDispatch } from './resolveDispatch.js';

export interface DispatchSetUp {
  /** The settings the campaign runs with: Slurm's changes, then the services' folders with Docker. */
  settings: RunSettings;
  dispatch: ResolvedDispatch;
  /** --gpus (runner.gpus): the GPUs and their slots; null without them (always with Slurm). */
  gpus: CampaignGpus | null;
  /** Experiments at once when no GPU slots set it (Slurm: its job limit); null: one, or one per GPU slot. */
  slots: number | null;
  /** What the dispatch turns off, worth an info notice (Slurm: host telemetry, cool-down). */
  infos: string[];
}

export interface SetUpOptions {
  forDryRun: boolean;
  /** Called between the steps that take time (a run stops there on a signal). */
  checkpoint?: () => void;
}

/** Throws ConfigError or EnvironmentError (exit 2) for a combination the dispatch refuses. */
export async function setUpDispatch(
  prepared: { plan: Plan; settings: RunSettings },
  flags: CliFlags,
  { forDryRun, checkpoint = () => {} }: SetUpOptions,
): Promise<DispatchSetUp> {
  const slurm = prepared.settings.dispatch === 'slurm' ? onSlurm(prepared.settings) : null;
  const base = slurm?.settings ?? prepared.settings;
  const gpus = slurm ? null : await campaignGpus(base);
  checkpoint();
  const gpuSlots = gpus ? persistentGpuSlots(gpus.slots) : null;
  const dispatch = await resolveDispatch({ plan: prepared.plan, settings: base }, flags, { forDryRun, gpuSlots });
  checkpoint();
  // With Docker, configs and results live where the services mount them.
  const settings: RunSettings = { ...base, ...dispatch.dirs };
  return { settings, dispatch, gpus, slots: slurm?.slots ?? null, infos: slurm?.notes ?? [] };
}

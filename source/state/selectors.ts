// Figures every view computes from the state: progress, ETA, the running
// experiment and its silence, per-config summaries. Pure reads.
import type { ExperimentMetrics } from '../domain/experiment.js';
import { energyDisagrees as energyDisagreesJ, type GpuFigures } from '../domain/gpu.js';
import { gpuGroups } from '../domain/gpuSlots.js';
import { selectRunningJobs } from './jobs.js';
import { bootstrapMeanCi, describe, type Interval, type Stat } from './stats.js';
import type { CampaignState, ExperimentView } from './types.js';

export type { Interval, Stat } from './stats.js';

export interface Progress {
  /** completed + failed + skipped + interrupted: the ones that ended */
  done: number;
  completed: number;
  failed: number;
  /** By the user (s). */
  skipped: number;
  /** By a stop of the campaign: they run again on --resume. */
  interrupted: number;
  total: number;
  /** done / total, 0 for an empty campaign. */
  fraction: number;
}

export function selectProgress(state: CampaignState): Progress {
  let completed = 0;
  let failed = 0;
  let skipped = 0;
  let interrupted = 0;
  for (const e of state.experiments) {
    if (e.status === 'completed') completed++;
    else if (e.status === 'failed') failed++;
    else if (e.status === 'skipped') skipped++;
    else if (e.status === 'interrupted') interrupted++;
  }
  const done = completed + failed + skipped + interrupted;
  const total = state.experiments.length;
  return { done, completed, failed, skipped, interrupted, total, fraction: total === 0 ? 0 : done / total };
}

/** Time since the campaign started (to its end once finished); null before. */
export function selectElapsed(state: CampaignState): number | null {
  if (state.startedAt === null) return null;
  return Math.max(0, (state.finishedAt ?? state.now) - state.startedAt);
}

/**
 * Time left: the mean duration of completed experiments for each one still
 * to run (less what each running one has already taken), plus the gaps still
 * ahead when the meta knows their length. With several slots (--gpus) that
 * work is shared: divided by the slots that still have something to run, and
 * never less than the longest running experiment's remainder. With a Slurm
 * scheduler what runs at once is what Slurm runs now: the jobs RUNNING (at
 * least 1), not the slots. null until something completed.
 */
export function selectEta(state: CampaignState): number | null {
  const durations = state.experiments.flatMap((e) =>
    e.status === 'completed' && e.durationMs !== null ? [e.durationMs] : [],
  );
  if (durations.length === 0) return null;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;

  let left = 0;
  let longestRunning = 0;
  let toRun = 0;
  for (const e of state.experiments) {
    if (e.status === 'pending') {
      left += mean;
      toRun++;
    } else if (e.status === 'running') {
      const rest = Math.max(0, mean - (state.now - (e.startedAt ?? state.now)));
      left += rest;
      longestRunning = Math.max(longestRunning, rest);
      toRun++;
    }
  }
  const total = left + remainingGapsMs(state);
  const atOnce = state.meta?.scheduler ? selectRunningJobs(state) : Math.floor(state.meta?.slots ?? 1);
  const slots = Math.max(1, Math.min(atOnce, toRun));
  return slots === 1 ? total : Math.max(longestRunning, total / slots);
}

/** The gap before each pending experiment that follows another one; each running gap (one per slot) counts what is left of it instead. */
function remainingGapsMs(state: CampaignState): number {
  const meta = state.meta;
  const experimentGap = (meta?.configGapSeconds ?? 0) * 1000;
  const cycleGap = (meta?.cycleGapSeconds ?? 0) * 1000;
  let total = 0;
  const running = Object.values(state.gaps);
  let replacedByRunningGap = running.length;
  for (const gap of running) total += Math.max(0, gap.endsAt - state.now);
  state.experiments.forEach((e, i) => {
    const before = state.experiments[i - 1];
    if (e.status !== 'pending' || !before) return;
    if (replacedByRunningGap > 0) {
      replacedByRunningGap--; // a gap running now is this one's
      return;
    }
    total += before.cycleIndex === e.cycleIndex ? experimentGap : cycleGap;
  });
  return total;
}

/**
 * The GPU labels of a slot (0-based) with --gpus: the engine splits meta.gpus
 * into meta.slots consecutive groups (gpuGroups), slot i runs on group i.
 * null without --gpus or for a slot that does not exist.
 */
export function selectSlotGpus(state: CampaignState, slot: number): string[] | null {
  const gpus = state.meta?.gpus;
  const slots = Math.max(1, Math.floor(state.meta?.slots ?? 1));
  if (!gpus || gpus.length === 0) return null;
  return gpuGroups(gpus, Math.floor(gpus.length / slots))[slot] ?? null;
}

export function selectCurrent(state: CampaignState): ExperimentView | null {
  if (state.currentExpId === null) return null;
  return state.experiments.find((e) => e.expId === state.currentExpId) ?? null;
}

/** How long an experiment has been silent (since its start when it printed nothing); null when it does not run. */
export function selectSilentMsOf(state: CampaignState, e: ExperimentView): number | null {
  if (e.status !== 'running') return null;
  const since = e.lastOutputAt ?? e.startedAt;
  return since === null ? null : Math.max(0, state.now - since);
}

export interface ConfigSummary {
  configName: string;
  backend: string;
  /** Completed experiments. */
  n: number;
  failed: number;
  skipped: number;
  interrupted: number;
  /** Each null when nothing was measured: shown as n/a. */
  energyJ: Stat | null;
  tokensPerSecond: Stat | null;
  joulesPerToken: Stat | null;
  /** Bootstrap 95 % CI of the mean energy; null with fewer than 2 measurements. */
  energyCi95: Interval | null;
  /** Completed results whose energy tracking failed: their energy and J/token are left out. */
  energyTrackingFailed: number;
  /** Energy measured on the host (gpuEnergyJ) of its completed runs; null when telemetry measured none. */
  hostEnergyJ: Stat | null;
  /** How many of its n completed runs hostEnergyJ rests on (the others have none, each with its reason). */
  hostEnergyRuns: number;
  /** Completed runs whose harness and host energies disagree (energyDisagrees). */
  energyDisagreements: number;
}

/** One summary per config name, in order of first appearance. */
export function selectConfigSummaries(state: CampaignState): ConfigSummary[] {
  const byName = new Map<string, ExperimentView[]>();
  for (const e of state.experiments) {
    const list = byName.get(e.configName);
    if (list) list.push(e);
    else byName.set(e.configName, [e]);
  }
  return [...byName.entries()].map(([configName, experiments]) => {
    const completed = experiments.filter((e) => e.status === 'completed');
    const results = completed.flatMap((e) => (e.metrics ? [e.metrics] : []));
    // A result whose energy tracking failed has a runtime but no energy to trust.
    const trusted = results.filter((m) => !m.energyTrackingFailed);
    const energies = measured(trusted, (m) => m.energyJ);
    const hostEnergies = completed.flatMap((e) => finite(e.gpu?.gpuEnergyJ));
    return {
      configName,
      backend: experiments[0]?.backend ?? '',
      n: completed.length,
      failed: experiments.filter((e) => e.status === 'failed').length,
      skipped: experiments.filter((e) => e.status === 'skipped').length,
      interrupted: experiments.filter((e) => e.status === 'interrupted').length,
      energyJ: describe(energies),
      tokensPerSecond: describe(measured(results, (m) => m.tokensPerSecond)),
      joulesPerToken: describe(measured(trusted, (m) => m.joulesPerToken)),
      energyCi95: bootstrapMeanCi(energies),
      energyTrackingFailed: results.length - trusted.length,
      hostEnergyJ: describe(hostEnergies),
      hostEnergyRuns: hostEnergies.length,
      energyDisagreements: completed.filter((e) => energyDisagrees(e.metrics, e.gpu)).length,
    };
  });
}

/**
 * The harness's energy and the host's differ by more than ENERGY_DISAGREEMENT
 * of the host's figure: one of them measured the wrong thing (other GPUs, idle
 * time). False when either is missing, or the harness's tracking failed (its
 * energy is no measurement then, and already flagged as such).
 */
export function energyDisagrees(metrics: ExperimentMetrics | null | undefined, gpu: GpuFigures | null | undefined): boolean {
  const harness = metrics && !metrics.energyTrackingFailed ? metrics.energyJ : null;
  return energyDisagreesJ(harness, gpu?.gpuEnergyJ) === true;
}

function finite(v: number | null | undefined): number[] {
  return v !== null && v !== undefined && Number.isFinite(v) ? [v] : [];
}

function measured(results: readonly ExperimentMetrics[], pick: (m: ExperimentMetrics) => number | null): number[] {
  return results.flatMap((m) => {
    const v = pick(m);
    return v !== null && Number.isFinite(v) ? [v] : [];
  });
}

/** "(2 of 3)" when the host's energy rests on fewer than all completed runs of a config; "" otherwise. */
export function hostEnergyShare(s: Pick<ConfigSummary, 'hostEnergyJ' | 'hostEnergyRuns' | 'n'>): string {
  return s.hostEnergyJ !== null && s.hostEnergyRuns < s.n ? ` (${s.hostEnergyRuns} of ${s.n})` : '';
}

// Where experiments run (chooseWhere) and through which dispatcher: local, or
// docker with the ephemeral or persistent strategy. A real run is
// preflighted (engine, compose, services, images) before anything starts; a
// dry run only describes and never fails for want of an engine.
import path from 'node:path';
import type { CliFlags, ContainerStrategy, RunSettings } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import type { ComposeTarget } from '../compose/types.js';
import type { Dispatcher } from './types.js';
import { chooseWhere, type WhereChoice } from './chooseWhere.js';
import { slurmDispatch } from './slurmDispatch.js';
import { createEphemeralDispatcher } from './ephemeralDispatcher.js';
import { createLocalDispatcher } from './localDispatcher.js';
import { createPersistentDispatcher } from './persistentDispatcher.js';
import { preflight } from '../compose/preflight.js';
import { PreflightError } from '../compose/preflightError.js';
import type { HostDirs } from '../compose/hostDirs.js';
import { containerDirs, describedTarget, type TargetAndMounts } from '../compose/composeSide.js';
import { composeProjectName } from '../compose/projectName.js';
import type { PersistentGpuSlot } from '../compose/gpuServices.js';
import { showPath } from '../config/errors.js';
import { ORIGIN_WORDS } from '../config/composeFileSearch.js';
import { EnvironmentError } from '../domain/environmentError.js';
import type { Where } from '../domain/where.js';

export interface ResolvedDispatch {
  where: Where;
  strategy: ContainerStrategy;
  strategyLabel: string;
  /** One line: what and why, e.g. "docker (a Docker engine answers; services pytorch, vllm)". */
  label: string;
  reason: string;
  project: string | null;
  dispatcher: Dispatcher;
  /**
   * Container dispatch: the host folders behind the services' /app/configs
   * and /app/results, where configs are written and results read (they
   * replace the settings' dirs); null for local dispatch.
   */
  dirs: HostDirs | null;
  /** "docker-compose.yml (current directory)"; null for local dispatch. */
  composeFileLabel: string | null;
  /** Commands run once before and after the experiments (for --dry-run). */
  before: string[][];
  after: string[][];
  /** Warnings (dry run: notes). */
  notes: string[];
  /** Facts worth a line (where configs go): info notices, dry-run notes. */
  infos: string[];
}

export interface ResolveDispatchOptions {
  forDryRun: boolean;
  /**
   * Persistent mode with --gpus: the GPU slots, each with its labels and its
   * CUDA_VISIBLE_DEVICES value; one long-lived service per (service, slot).
   * Null or absent: one per service. Ignored by ephemeral and local dispatch.
   */
  gpuSlots?: PersistentGpuSlot[] | null;
}

const SOURCE_WORDS = {
  flag: 'from --container-strategy',
  campaign: 'from the campaign file',
  'user-config': 'from .lem-config.yaml',
  default: 'the default',
} as const;

export async function resolveDispatch(
  prepared: { plan: Plan; settings: RunSettings },
  flags: CliFlags,
  options: ResolveDispatchOptions,
): Promise<ResolvedDispatch> {
  const { plan, settings } = prepared;
  const strategyLabel = `${settings.containerStrategy} (${SOURCE_WORDS[settings.containerStrategySource]})`;
  if (settings.dispatch === 'slurm') return slurmDispatch(plan, settings, { strategyLabel, forDryRun: options.forDryRun, fromFlag: flags.dispatch === 'slurm' });
  const choice = await chooseWhere(settings, flags, plan.services, options.forDryRun);
  return choice.where === 'local'
    ? localDispatch(settings, strategyLabel, choice, options.forDryRun)
    : containerDispatch(plan, settings, strategyLabel, choice, options);
}

function localDispatch(settings: RunSettings, strategyLabel: string, choice: WhereChoice, forDryRun: boolean): ResolvedDispatch {
  const strategy = settings.containerStrategy;
  const notes: string[] = [];
  if (strategy === 'persistent') notes.push('the container strategy does not apply to local dispatch: experiments run on the host');
  if (!choice.lemOnHost && !forDryRun) {
    throw new EnvironmentError(
      `the harness "${settings.lemCommand[0]}" is not on this host`,
      'install lem, or point --lem-command (or runner.lem_command) at it',
    );
  }
  return {
    where: 'local',
    strategy,
    strategyLabel: `${strategyLabel}, not used by local dispatch`,
    label: `local (${choice.reason})`,
    reason: choice.reason,
    project: null,
    dirs: null,
    composeFileLabel: null,
    dispatcher: createLocalDispatcher({ cwd: process.cwd(), killGraceMs: settings.stopGraceSeconds * 1000, stateDir: settings.stateDir }),
    before: [],
    after: [],
    notes,
    infos: [],
  };
}

async function containerDispatch(
  plan: Plan,
  settings: RunSettings,
  strategyLabel: string,
  choice: WhereChoice,
  { forDryRun, gpuSlots = null }: ResolveDispatchOptions,
): Promise<ResolvedDispatch> {
  const notes: string[] = [];
  const infos: string[] = [];
  const { services } = plan;
  const project = composeProjectName(plan.campaignId, settings.stateDir);
  if (settings.composeFiles.length === 0 && !forDryRun) {
    throw new EnvironmentError(
      `no compose file: ${settings.composeFileReason}`,
      'run from the folder that holds the compose file, or name it with --compose-file (or runner.compose_file)',
    );
  }
  const { target, mounts } = forDryRun
    ? await describedTarget(settings, project, services, choice.composeFileExists, notes)
    : await preflightedTarget(settings, project, services);
  const dirs = containerDirs(settings, services, mounts, { notes, infos }, forDryRun);
  const composeFileLabel = `${settings.composeFiles.map((f) => showPath(f, process.cwd())).join(', ') || 'none'} (${ORIGIN_WORDS[settings.composeFileOrigin]})`;
  const composeLabel = `${target.command.join(' ')} -p ${project}`;
  const stopGraceSeconds = settings.stopGraceSeconds;
  const dispatcher =
    settings.containerStrategy === 'ephemeral'
      ? createEphemeralDispatcher({ target, stopGraceSeconds, killGraceMs: Math.min(5000, stopGraceSeconds * 1000) })
      : createPersistentDispatcher({
          target,
          services,
          warmupDelayMs: settings.warmupDelaySeconds * 1000,
          stopGraceSeconds,
          stateDir: path.join(settings.stateDir, 'compose'),
          gpuSlots,
        });
  const { up, down } = dispatcher.commands;
  // Long-lived services with auto_teardown off stay up: no `down` at the end.
  const downAtEnd = down && (!dispatcher.capabilities.keepsServicesUp || settings.autoTeardown);
  return {
    where: 'docker',
    strategy: settings.containerStrategy,
    strategyLabel,
    label: `docker via ${composeLabel} (${choice.reason})`,
    reason: choice.reason,
    project,
    dirs,
    composeFileLabel,
    dispatcher,
    before: up ? [up] : [],
    after: downAtEnd ? [down] : [],
    notes,
    infos,
  };
}

/** A real run: engine, compose, services and images checked before anything starts (a failed check is exit 2). */
async function preflightedTarget(settings: RunSettings, project: string, services: string[]): Promise<TargetAndMounts> {
  try {
    return await preflight({
      project,
      composeFiles: settings.composeFiles,
      services,
      composeCommand: settings.composeCommand?.join(' ') ?? null,
    });
  } catch (error) {
    if (error instanceof PreflightError) throw new EnvironmentError(error.message, error.hint);
    throw error;
  }
}

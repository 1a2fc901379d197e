// Where experiments run and through which dispatcher: docker (ephemeral or
// persistent) when an engine answers and the compose file exists, else local
// when the harness is on this host; --dispatch forces either. A real run is
// preflighted (engine, compose, services, images) before anything starts; a
// dry run only describes and never fails for want of an engine.
import fs from 'node:fs';
import path from 'node:path';
import type { CliFlags, ContainerStrategy, RunSettings } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import type { Dispatcher } from './types.js';
import { composeTarget, detectFlavour, guessFlavour } from './flavour.js';
import { createEphemeralDispatcher } from './dispatchers/ephemeral.js';
import { createLocalDispatcher } from './dispatchers/local.js';
import { createPersistentDispatcher } from './dispatchers/persistent.js';
import { engineAvailable, preflight, readServiceMounts } from './preflight.js';
import { PreflightError } from './preflightError.js';
import { hostDirsFromMounts, CONTAINER_CONFIGS_DIR, CONTAINER_RESULTS_DIR, type HostDirs } from './hostDirs.js';
import { composeProjectName } from './projectName.js';
import type { BindMount } from './serviceMounts.js';
import { findOnHost } from './findOnHost.js';
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

const SOURCE_WORDS = {
  flag: 'from --container-strategy',
  campaign: 'from the campaign file',
  'user-config': 'from .lem-config.yaml',
  default: 'the default',
} as const;

export async function resolveDispatch(
  prepared: { plan: Plan; settings: RunSettings },
  flags: CliFlags,
  options: { forDryRun: boolean },
): Promise<ResolvedDispatch> {
  const { plan, settings } = prepared;
  const notes: string[] = [];
  const infos: string[] = [];
  const strategy = settings.containerStrategy;
  const strategyLabel = `${strategy} (${SOURCE_WORDS[settings.containerStrategySource]})`;
  const services = plan.services;
  const composeFileExists = settings.composeFiles.length > 0 && settings.composeFiles.every((f) => fs.existsSync(f));
  const lemOnHost = findOnHost(settings.lemCommand[0]!);

  let where: Where;
  let reason: string;
  let engine = false;
  if (settings.dispatch === 'local') {
    where = 'local';
    reason = flags.dispatch ? '--dispatch local' : 'dispatch: local in the settings';
  } else if (settings.dispatch === 'docker') {
    where = 'docker';
    reason = flags.dispatch ? '--dispatch docker' : 'dispatch: docker in the settings';
  } else if ((engine = await engineAvailable()) && composeFileExists) {
    where = 'docker';
    reason = `a Docker engine answers; ${services.length} backend service${services.length === 1 ? '' : 's'}`;
  } else {
    const why = !engine ? 'no Docker engine answers' : `no compose file (${noComposeFileWords(settings)})`;
    if (lemOnHost) {
      where = 'local';
      reason = `${why}; ${settings.lemCommand[0]} found on this host`;
    } else if (options.forDryRun) {
      where = 'docker';
      reason = `${why}, and ${settings.lemCommand[0]} is not on this host: a real run would stop here`;
    } else {
      throw new EnvironmentError(
        `${why}, and the harness "${settings.lemCommand[0]}" is not on this host: nowhere to run experiments`,
        engine
          ? 'run from the folder that holds the compose file, or name it with --compose-file; or install lem on this host and use --dispatch local'
          : 'start the Docker engine, or install lem on this host (or point --lem-command at it) and use --dispatch local',
      );
    }
  }

  if (where === 'local') {
    if (strategy === 'persistent') notes.push('the container strategy does not apply to local dispatch: experiments run on the host');
    if (!lemOnHost && !options.forDryRun) {
      throw new EnvironmentError(
        `the harness "${settings.lemCommand[0]}" is not on this host`,
        'install lem, or point --lem-command (or runner.lem_command) at it',
      );
    }
    return {
      where,
      strategy,
      strategyLabel: where === 'local' ? `${strategyLabel}, not used by local dispatch` : strategyLabel,
      label: `local (${reason})`,
      reason,
      project: null,
      dirs: null,
      composeFileLabel: null,
      dispatcher: createLocalDispatcher({ cwd: process.cwd(), killGraceMs: settings.stopGraceSeconds * 1000 }),
      before: [],
      after: [],
      notes,
      infos,
    };
  }

  const project = composeProjectName(plan.campaignId, settings.stateDir);
  if (settings.composeFiles.length === 0 && !options.forDryRun) {
    throw new EnvironmentError(
      `no compose file: ${settings.composeFileReason}`,
      'run from the folder that holds the compose file, or name it with --compose-file (or runner.compose_file)',
    );
  }
  let target;
  let mounts: Record<string, BindMount[]> | null;
  if (options.forDryRun) {
    const override = settings.composeCommand?.join(' ') ?? null;
    const flavour = override ? await detectFlavour(override) : await guessFlavour();
    if (!flavour) notes.push('no compose command found on this host: showing `docker compose`');
    target = composeTarget(flavour ?? 'docker compose', project, settings.composeFiles);
    mounts = flavour && composeFileExists ? await readServiceMounts(target, services) : null;
  } else {
    try {
      ({ target, mounts } = await preflight({
        project,
        composeFiles: settings.composeFiles,
        services,
        composeCommand: settings.composeCommand?.join(' ') ?? null,
      }));
    } catch (error) {
      if (error instanceof PreflightError) throw new EnvironmentError(error.message, error.hint);
      throw error;
    }
  }
  const dirs = containerDirs(settings, services, mounts, { notes, infos }, options.forDryRun);
  const composeFileLabel = `${settings.composeFiles.map((f) => showPath(f, process.cwd())).join(', ') || 'none'} (${ORIGIN_WORDS[settings.composeFileOrigin]})`;
  const composeLabel = `${target.command.join(' ')} -p ${project}`;
  const label = `docker via ${composeLabel} (${reason})`;
  const stopGraceSeconds = settings.stopGraceSeconds;
  const dispatcher =
    strategy === 'ephemeral'
      ? createEphemeralDispatcher({ target, stopGraceSeconds, killGraceMs: Math.min(5000, stopGraceSeconds * 1000) })
      : createPersistentDispatcher({
          target,
          services,
          warmupDelayMs: settings.warmupDelaySeconds * 1000,
          stopGraceSeconds,
          stateDir: path.join(settings.stateDir, 'compose'),
        });
  const { up, down } = dispatcher.commands;
  // Long-lived services with auto_teardown off stay up: no `down` at the end.
  const downAtEnd = down && (!dispatcher.capabilities.keepsServicesUp || settings.autoTeardown);
  return {
    where,
    strategy,
    strategyLabel,
    label,
    reason,
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

/**
 * The host folders the services mount at /app/configs and /app/results. A
 * real run stops on a missing mount (PreflightError → exit 2); a dry run says
 * so in a note and shows the settings' folders.
 */
function containerDirs(
  settings: RunSettings,
  services: string[],
  mounts: Record<string, BindMount[]> | null,
  { notes, infos }: { notes: string[]; infos: string[] },
  forDryRun: boolean,
): HostDirs {
  const fallback = { configsDir: settings.configsDir, resultsDir: settings.resultsDir };
  if (!mounts) {
    notes.push(`compose could not be asked for the services' mounts: showing io.configs_dir and io.results_dir`);
    return fallback;
  }
  let dirs: HostDirs;
  try {
    dirs = hostDirsFromMounts(services, mounts);
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    if (!forDryRun) throw new EnvironmentError(error.message, error.hint);
    notes.push(`a real run would stop here: ${error.message}`);
    return fallback;
  }
  const cwd = process.cwd();
  if (dirs.configsDir !== settings.configsDir) {
    infos.push(`experiment configs are written to ${showPath(dirs.configsDir, cwd)}, which the services mount at ${CONTAINER_CONFIGS_DIR}`);
  }
  if (dirs.resultsDir !== settings.resultsDir && settings.resultsDirGiven) {
    infos.push(
      `results are read from ${showPath(dirs.resultsDir, cwd)}, which the services mount at ${CONTAINER_RESULTS_DIR} (not ${showPath(settings.resultsDir, cwd)})`,
    );
  }
  return dirs;
}

function noComposeFileWords(settings: RunSettings): string {
  if (settings.composeFiles.length === 0) return settings.composeFileReason;
  const missing = settings.composeFiles.filter((f) => !fs.existsSync(f));
  return `${missing.map((f) => showPath(f, process.cwd())).join(', ')} does not exist (${settings.composeFileReason})`;
}

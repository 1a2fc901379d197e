// Where experiments run and through which dispatcher: docker (ephemeral or
// persistent) when an engine answers and the compose file exists, else local
// when the harness is on this host; --dispatch forces either. A real run is
// preflighted (engine, compose, services, images) before anything starts; a
// dry run only describes and never fails for want of an engine.
import fs from 'node:fs';
import path from 'node:path';
import type { CliFlags, ContainerStrategy } from './config/types.js';
import type { Dispatcher } from './compose/types.js';
import {
  composeTarget,
  createEphemeralDispatcher,
  createLocalDispatcher,
  createPersistentDispatcher,
  detectFlavour,
  guessFlavour,
  downArgv,
  engineAvailable,
  preflight,
  PreflightError,
} from './compose/index.js';
import { upArgv } from './compose/argv.js';
import { overridePath } from './compose/override.js';
import { EnvironmentError } from './environmentError.js';
import type { PreparedCampaign } from './prepareCampaign.js';

export interface ResolvedDispatch {
  where: 'local' | 'container';
  strategy: ContainerStrategy;
  strategyLabel: string;
  /** One line: what and why, e.g. "docker (a Docker engine answers; services pytorch, vllm)". */
  label: string;
  reason: string;
  project: string | null;
  /** The compose command in use (shown in confirmations), null for local dispatch. */
  composeCommand: string[] | null;
  dispatcher: Dispatcher;
  /** Commands run once before and after the experiments (for --dry-run). */
  before: string[][];
  after: string[][];
  notes: string[];
}

const SOURCE_WORDS = {
  flag: 'from --container-strategy',
  campaign: 'from the campaign file',
  'user-config': 'from .lem-config.yaml',
  default: 'the default',
} as const;

export async function resolveDispatch(
  prepared: PreparedCampaign,
  flags: CliFlags,
  options: { forDryRun: boolean },
): Promise<ResolvedDispatch> {
  const { plan, settings } = prepared;
  const notes: string[] = [];
  const strategy = settings.containerStrategy;
  const strategyLabel = `${strategy} (${SOURCE_WORDS[settings.containerStrategySource]})`;
  const services = plan.services;
  const composeFileExists = fs.existsSync(settings.composeFile);
  const lemOnHost = findOnHost(settings.lemCommand[0]!);

  let where: 'local' | 'container';
  let reason: string;
  if (settings.dispatch === 'local') {
    where = 'local';
    reason = flags.dispatch ? '--dispatch local' : 'dispatch: local in the settings';
  } else if (settings.dispatch === 'docker') {
    where = 'container';
    reason = flags.dispatch ? '--dispatch docker' : 'dispatch: docker in the settings';
  } else if ((await engineAvailable()) && composeFileExists) {
    where = 'container';
    reason = `a Docker engine answers; ${services.length} backend service${services.length === 1 ? '' : 's'}`;
  } else {
    const why = composeFileExists ? 'no Docker engine answers' : `no compose file at ${settings.composeFile}`;
    if (lemOnHost) {
      where = 'local';
      reason = `${why}; ${settings.lemCommand[0]} found on this host`;
    } else if (options.forDryRun) {
      where = 'container';
      reason = `${why}, and ${settings.lemCommand[0]} is not on this host: a real run would stop here`;
    } else {
      throw new EnvironmentError(
        `${why}, and the harness "${settings.lemCommand[0]}" is not on this host: nowhere to run experiments`,
        'start the Docker engine, or install lem on this host (or point --lem-command at it) and use --dispatch local',
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
      composeCommand: null,
      dispatcher: createLocalDispatcher({ cwd: process.cwd(), killGraceMs: settings.stopGraceSeconds * 1000 }),
      before: [],
      after: [],
      notes,
    };
  }

  const project = `lem-${plan.campaignId}`;
  let target;
  if (options.forDryRun) {
    const override = settings.composeCommand?.join(' ') ?? null;
    const flavour = override ? await detectFlavour(override) : await guessFlavour();
    if (!flavour) notes.push('no compose command found on this host: showing `docker compose`');
    target = composeTarget(flavour ?? 'docker compose', project, [settings.composeFile]);
  } else {
    try {
      ({ target } = await preflight({
        project,
        composeFiles: [settings.composeFile],
        services,
        composeCommand: settings.composeCommand?.join(' ') ?? null,
      }));
    } catch (error) {
      if (error instanceof PreflightError) throw new EnvironmentError(error.message, error.hint);
      throw error;
    }
  }
  const composeLabel = `${target.command.join(' ')} -p ${project}`;
  const label = `docker via ${composeLabel} (${reason})`;
  const stopGraceSeconds = settings.stopGraceSeconds;
  if (strategy === 'ephemeral') {
    return {
      where,
      strategy,
      strategyLabel,
      label,
      reason,
      project,
      composeCommand: target.command,
      dispatcher: createEphemeralDispatcher({ target, stopGraceSeconds, killGraceMs: Math.min(5000, stopGraceSeconds * 1000) }),
      before: [],
      after: [downArgv(target, stopGraceSeconds)],
      notes,
    };
  }
  const stateDir = path.join(settings.stateDir, 'compose');
  const dispatcher = createPersistentDispatcher({
    target,
    services,
    warmupDelayMs: settings.warmupDelaySeconds * 1000,
    stopGraceSeconds,
    stateDir,
  });
  const withOverride = { ...target, files: [...target.files, overridePath(stateDir, project)] };
  return {
    where,
    strategy,
    strategyLabel,
    label,
    reason,
    project,
    composeCommand: target.command,
    dispatcher,
    before: [upArgv(withOverride, services)],
    after: settings.autoTeardown ? [downArgv(withOverride, stopGraceSeconds)] : [],
    notes,
  };
}

/**
 * Persistent services will start, so the user confirms first. Local dispatch
 * ignores the strategy (it runs on the host and says so in a note).
 */
export function startsPersistentServices(dispatch: Pick<ResolvedDispatch, 'where' | 'strategy'>): boolean {
  return dispatch.where === 'container' && dispatch.strategy === 'persistent';
}

/** The harness executable: a path (relative to the current directory) or a name on PATH. */
function findOnHost(command: string): string | null {
  const executable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) {
    // Local dispatch runs in the current directory, so that is where a relative path points.
    const candidate = path.resolve(command);
    return executable(candidate) ? candidate : null;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, command))) return path.join(dir, command);
  }
  return null;
}

// Where experiments run, and the words for why: docker when an engine answers
// and the compose file exists, else local when the harness is on this host;
// --dispatch (or `dispatch:` in the settings) forces either.
import fs from 'node:fs';
import type { CliFlags, RunSettings } from '../config/types.js';
import { showPath } from '../config/errors.js';
import { EnvironmentError } from '../domain/environmentError.js';
import type { Where } from '../domain/where.js';
import { findOnHost } from '../io/process/findOnHost.js';
import { engineAvailable } from '../compose/preflight.js';

export interface WhereChoice {
  where: Where;
  reason: string;
  /** The harness on this host (a path), or null. */
  lemOnHost: string | null;
  composeFileExists: boolean;
}

/** Throws EnvironmentError when there is nowhere to run (a dry run says where a real run would stop instead). */
export async function chooseWhere(settings: RunSettings, flags: CliFlags, services: string[], forDryRun: boolean): Promise<WhereChoice> {
  const composeFileExists = settings.composeFiles.length > 0 && settings.composeFiles.every((f) => fs.existsSync(f));
  const lemOnHost = findOnHost(settings.lemCommand[0]!);
  const chosen = (where: Where, reason: string): WhereChoice => ({ where, reason, lemOnHost, composeFileExists });

  if (settings.dispatch === 'local') return chosen('local', flags.dispatch ? '--dispatch local' : 'dispatch: local in the settings');
  if (settings.dispatch === 'docker') return chosen('docker', flags.dispatch ? '--dispatch docker' : 'dispatch: docker in the settings');
  // Auto: the engine is asked only here.
  const engine = await engineAvailable();
  if (engine && composeFileExists) {
    return chosen('docker', `a Docker engine answers; ${services.length} backend service${services.length === 1 ? '' : 's'}`);
  }
  const why = !engine ? 'no Docker engine answers' : `no compose file (${noComposeFileWords(settings)})`;
  if (lemOnHost) return chosen('local', `${why}; ${settings.lemCommand[0]} found on this host`);
  if (forDryRun) return chosen('docker', `${why}, and ${settings.lemCommand[0]} is not on this host: a real run would stop here`);
  throw new EnvironmentError(
    `${why}, and the harness "${settings.lemCommand[0]}" is not on this host: nowhere to run experiments`,
    engine
      ? 'run from the folder that holds the compose file, or name it with --compose-file; or install lem on this host and use --dispatch local'
      : 'start the Docker engine, or install lem on this host (or point --lem-command at it) and use --dispatch local',
  );
}

function noComposeFileWords(settings: RunSettings): string {
  if (settings.composeFiles.length === 0) return settings.composeFileReason;
  const missing = settings.composeFiles.filter((f) => !fs.existsSync(f));
  return `${missing.map((f) => showPath(f, process.cwd())).join(', ')} does not exist (${settings.composeFileReason})`;
}

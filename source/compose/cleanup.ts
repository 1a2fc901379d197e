// Remove whatever of a compose project is left, found by its label.
//
// `run --rm` is not a guarantee and `down` can be interrupted: the last step
// of every teardown is a check by label and `docker rm -f` of anything left,
// where "not found" counts as done (DESIGN.md, "Containers and cleanup").
// Volumes are never touched: they hold the model caches.
import { engineKillArgv, engineRmArgv, networkLsArgv, psArgv } from './argv.js';
import { capture } from '../io/process/process.js';
import { parsePsOutput, type PsContainer } from './psFormats.js';

export interface SweepResult {
  /** Names of the containers that were still there and are now removed. */
  removed: string[];
  /** Containers or networks that could not be removed, with the engine's words. */
  failed: string[];
}

const NOT_FOUND = /no such (container|network)|not found/i;

/** A project's containers as one labelled `ps` listed them; `at` is when it was asked (events since then are newer). */
export interface ProjectListing {
  containers: PsContainer[];
  at: number;
}

/** The project's containers; null when the engine did not answer. */
export async function listProject(cli: string, project: string): Promise<ProjectListing | null> {
  const at = Date.now();
  const r = await capture(psArgv(cli, project), { timeoutMs: 15_000 });
  return r.exitCode === 0 ? { containers: parsePsOutput(r.stdout), at } : null;
}

export async function listProjectContainers(cli: string, project: string): Promise<PsContainer[]> {
  return (await listProject(cli, project))?.containers ?? [];
}

const KILLABLE = new Set(['running', 'paused', 'restarting']);

/**
 * `docker kill` a service's containers (fast: no compose client start-up).
 * A paused (frozen) container is killed too: left alone, `up -d` would fail
 * on it with "cannot start a paused container".
 */
export async function killProjectService(cli: string, project: string, service: string): Promise<void> {
  const ids = (await listProjectContainers(cli, project)).filter((c) => c.service === service && KILLABLE.has(c.state)).map((c) => c.id);
  if (ids.length > 0) await capture(engineKillArgv(cli, ids), { timeoutMs: 15_000 });
}

/** `docker rm -f` names/ids; a container that is already gone counts as removed. */
export async function forceRemove(cli: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const r = await capture(engineRmArgv(cli, names), { timeoutMs: 30_000 });
  if (r.exitCode === 0) return [];
  return r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !NOT_FOUND.test(l));
}

/**
 * The containers and networks left of a project, asked side by side, then
 * removed. `networks: false` skips the network check (the caller's `down`
 * succeeded, and `down` removes the networks it created).
 */
export async function sweepProjectResources(cli: string, project: string, options: { networks?: boolean } = {}): Promise<SweepResult> {
  const [left, nets] = await Promise.all([
    listProjectContainers(cli, project),
    options.networks === false ? null : capture(networkLsArgv(cli, project), { timeoutMs: 15_000 }),
  ]);
  const failed = await forceRemove(
    cli,
    left.map((c) => c.id),
  );
  const netIds = nets?.exitCode === 0 ? nets.stdout.split('\n').filter(Boolean) : [];
  if (netIds.length > 0) {
    const r = await capture([cli, 'network', 'rm', ...netIds], { timeoutMs: 15_000 });
    if (r.exitCode !== 0) failed.push(...r.stderr.split('\n').filter((l) => l.trim() && !NOT_FOUND.test(l)));
  }
  return { removed: left.map((c) => c.name), failed };
}

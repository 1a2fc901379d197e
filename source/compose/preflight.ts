// Checks before any experiment starts. Each failure is ONE clear message with
// a hint, as a PreflightError the CLI maps to exit code 2 (nothing started).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { ComposeTarget } from './types.js';
import { configCheckArgv, composeArgv, configServicesArgv, imageInspectArgv } from './argv.js';
import { sweepProjectResources, type SweepResult } from './cleanup.js';
import { composeClientEnv } from './clientEnv.js';
import { composeTarget, detectFlavour, engineCli, isDockerCompose, onPath, parseComposeCommand, useComposePlugin, type DetectedFlavour } from './flavour.js';
import { findComposePlugin } from './composePlugin.js';
import { capture } from '../io/process/process.js';
import { firstLines, PreflightError } from './preflightError.js';
import { podmanLimitation } from './podmanLimits.js';
import { checkedUpFront, namedCommandFailure } from './namedCommand.js';
import { bindMountsOf, type BindMount } from './serviceMounts.js';
import { guessImagesOf } from './imageGuess.js';

export { PreflightError, type PreflightProblem } from './preflightError.js';

export interface PreflightOptions {
  project: string;
  composeFiles: string[];
  /** Services the campaign needs. */
  services: string[];
  /** Explicit compose command ("docker-compose", "podman compose"); detected when absent. */
  composeCommand?: string | null;
  /** Extra environment for compose (merged over composeClientEnv(): PUID/PGID). */
  clientEnv?: Record<string, string>;
  /** Check that each needed service's image exists locally. Default true. */
  checkImages?: boolean;
}

export interface PreflightResult {
  flavour: DetectedFlavour;
  target: ComposeTarget;
  /** Each needed service's image. */
  images: Record<string, string>;
  /** Each needed service's bind mounts, as compose resolved them. */
  mounts: Record<string, BindMount[]>;
}


/**
 * The engine's last answer (engineAvailable), asked or being asked: taken
 * instead of asking again within a few seconds (the start-up warm-up,
 * `--dispatch auto` and checkEngine share it).
 */
let engineAsked: { engine: string; at: number; answer: Promise<boolean> } | null = null;
const ENGINE_ANSWER_MS = 10_000;
/** Which engine `cli` talks to (the same command with another DOCKER_HOST is another question). */
const engineKey = (cli: string) => [cli, process.env.DOCKER_HOST ?? '', process.env.DOCKER_CONTEXT ?? '', process.env.CONTAINER_HOST ?? ''].join('\0');

function recentAnswer(cli: string): Promise<boolean> | null {
  return engineAsked?.engine === engineKey(cli) && Date.now() - engineAsked.at < ENGINE_ANSWER_MS ? engineAsked.answer : null;
}

/** The engine answers (used for `--dispatch auto`): fast, never throws. */
export function engineAvailable(cli = 'docker', timeoutMs = 3000): Promise<boolean> {
  const recent = recentAnswer(cli);
  if (recent) return recent;
  const answer = capture([cli, 'version', '--format', '{{.Server.Version}}'], { timeoutMs }).then((r) => r.exitCode === 0 && r.stdout.trim() !== '');
  engineAsked = { engine: engineKey(cli), at: Date.now(), answer };
  return answer;
}

/** Remove every container and network left of a project, by label (volumes stay). */
export function sweepProject(project: string, cli = 'docker'): Promise<SweepResult> {
  return sweepProjectResources(cli, project);
}

export async function checkEngine(cli = 'docker'): Promise<void> {
  // A recent yes will do; a no is asked again, for the words of the error.
  if (await recentAnswer(cli)) return;
  const r = await capture([cli, 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
  if (r.spawnError) {
    throw new PreflightError(
      'docker-missing',
      `The ${cli} command was not found.`,
      cli === 'docker' ? 'Install Docker (https://docs.docker.com/engine/install/), or use --dispatch local.' : `Install ${cli}, or use --dispatch local.`,
    );
  }
  if (r.exitCode === 0 && r.stdout.trim()) return;
  const said = firstLines(r.stderr, 2);
  if (/permission denied/i.test(said)) {
    throw new PreflightError(
      'engine-permission',
      `Permission denied on the Docker engine's socket: ${said}`,
      'Add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or use rootless Docker.',
    );
  }
  throw new PreflightError(
    'engine-unreachable',
    `The Docker engine is not reachable${r.timedOut ? ' (no answer in 15 s)' : ''}: ${said || `exit ${r.exitCode}`}`,
    'Start it (sudo systemctl start docker, or open Docker Desktop) and check DOCKER_HOST / the docker context.',
  );
}

/** A check started early: its failure, or null (never rejects, so it can wait unawaited). */
const failureOf = (p: Promise<unknown>): Promise<unknown> => p.then(
  () => null,
  (error: unknown) => error,
);

/**
 * All checks; each question is asked once and the independent ones side by
 * side (engine, compose version, `compose config`), but their failures are
 * reported in this order: engine, compose command, compose files, config,
 * services, images. Resolves the compose target to use.
 */
export async function preflight(options: PreflightOptions): Promise<PreflightResult> {
  const files = options.composeFiles.map((f) => path.resolve(f));
  const env = composeClientEnv(options.clientEnv);
  const early = new AbortController();
  const configCall = (f: DetectedFlavour, plugin: string | null = null) => {
    const argv = composeArgv(composeTarget(f, options.project, files), 'config');
    return capture(plugin ? [plugin, ...argv.slice(2)] : argv, { env, timeoutMs: 30_000, signal: early.signal });
  };
  // The `config` call (v1: a Python start, ~0.6 s) depends only on the
  // command: it starts on the command named or on `docker compose` (when
  // docker is on PATH) alongside the version probe that confirms it, and is
  // used only once every earlier check has passed (and not at all if
  // detection settles on another command).
  const named = options.composeCommand ? parseComposeCommand(options.composeCommand) : null;
  const firstGuess = named ?? (onPath('docker') ? { flavour: 'v2' as const, command: ['docker', 'compose'], version: null } : null);
  const firstCli = firstGuess ? engineCli(firstGuess) : 'docker';
  const firstEngine = failureOf(checkEngine(firstCli));
  // `docker compose` runs its plugin binary directly once that is proven the
  // same (composePlugin.ts); the early `config` already runs on it.
  const plugin = firstGuess && isDockerCompose(firstGuess.command) ? findComposePlugin() : null;
  const pluginUsed = plugin ? useComposePlugin(plugin).catch(() => false) : Promise.resolve(false);
  const firstConfig = firstGuess ? configCall(firstGuess, plugin) : null;
  // The image check, on the images the files name, beside `config` too.
  const checkingImages = options.checkImages !== false && options.services.length > 0;
  const firstImages = checkingImages ? inspectGuessedImages(firstCli, files, options.services, early.signal).catch(() => null) : null;
  try {
    const flavour = await detectFlavour(options.composeCommand);
    const cli = flavour ? engineCli(flavour) : 'docker';
    const [commandFailure, engineFailure] = await Promise.all([
      checkedUpFront(flavour, options.composeCommand) ? namedCommandFailure(flavour, options.composeCommand) : null,
      cli === firstCli ? firstEngine : failureOf(checkEngine(cli)),
    ]);
    if (engineFailure) throw engineFailure;
    if (!flavour) {
      throw new PreflightError(
        'compose-missing',
        'No Docker Compose found: neither `docker compose`, `docker-compose` nor `podman compose` answers.',
        'Install the Docker Compose plugin (https://docs.docker.com/compose/install/), or set the compose command in .lem-config.yaml.',
      );
    }
    if (commandFailure) throw commandFailure;
    // Any other named command is proven by `config`; asked why only on a failure (namedCommand.ts).
    const failedCommand = () => namedCommandFailure(flavour, options.composeCommand);
    await checkFilesExist(files).catch(async (error: unknown) => {
      throw (await failedCommand()) ?? error;
    });
    const target = composeTarget(flavour, options.project, files);
    // One `config` call validates (like `config -q`), lists the services (like
    // `config --services`) and names their images.
    const sameCommand = firstGuess && firstGuess.command.join(' ') === flavour.command.join(' ') && (!plugin || (await pluginUsed));
    const config = await (firstConfig && sameCommand ? firstConfig : configCall(flavour));
    if (config.exitCode !== 0) {
      throw (await failedCommand()) ?? podmanLimitation(flavour.command, config.stderr || config.stdout) ?? new PreflightError(
        'compose-file-invalid',
        `The compose file is invalid: ${firstLines(config.stderr || config.stdout) || `exit ${config.exitCode}`}`,
        `Run \`${configCheckArgv(target).join(' ')}\` to see the problem.`,
      );
    }
    const defs = serviceDefinitions(config.stdout) ?? (await listServices(target, env));
    checkServicesDefined(options.services, Object.keys(defs), files);
    const images = serviceImages(target, options.services, defs);
    const guessed = cli === firstCli ? await firstImages : null;
    const guessHolds = guessed?.ok === true && options.services.every((s) => guessed.images.includes(images[s]!));
    if (options.checkImages !== false && !guessHolds) await checkImages(target, options.services, images);
    return { flavour, target, images, mounts: mountsOf(options.services, defs) };
  } finally {
    // A check failed before the speculative call was needed: stop it.
    early.abort();
  }
}

async function checkFilesExist(files: string[]): Promise<void> {
  for (const file of files) {
    try {
      await access(file);
    } catch {
      throw new PreflightError(
        'compose-file-missing',
        `Compose file not found: ${file}`,
        'Check the compose file setting (campaign, .lem-config.yaml or --compose-file); paths are relative to the current directory.',
      );
    }
  }
}

function checkServicesDefined(services: string[], defined: string[], files: string[]): void {
  const missing = services.filter((s) => !defined.includes(s));
  if (missing.length === 0) return;
  throw new PreflightError(
    'service-undefined',
    `Service${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not defined in ${files.join(', ')} (defined: ${defined.join(', ') || 'none'}).`,
    "Each experiment's backend must name a service of the compose file: fix the campaign or the compose file.",
  );
}

/** One `image inspect` of the images the compose files name (imageGuess.ts); null when they name none literally. */
async function inspectGuessedImages(cli: string, files: string[], services: string[], signal: AbortSignal): Promise<{ images: string[]; ok: boolean } | null> {
  const images = await guessImagesOf(files, services);
  if (!images || signal.aborted) return null;
  const r = await capture(imageInspectArgv(cli, ...images), { timeoutMs: 15_000, signal });
  return { images, ok: r.exitCode === 0 };
}

/**
 * Each service's image exists locally: one `image inspect` of all of them
 * (it fails if any is missing); only then one call per image, to name the
 * first missing one in service order.
 */
async function checkImages(target: ComposeTarget, services: string[], images: Record<string, string>): Promise<void> {
  const cli = engineCli(target);
  const distinct = [...new Set(services.map((s) => images[s]!))];
  const all = await capture(imageInspectArgv(cli, ...distinct), { timeoutMs: 15_000 });
  if (all.exitCode === 0) return;
  const found = await Promise.all(distinct.map((image) => capture(imageInspectArgv(cli, image), { timeoutMs: 15_000 })));
  const missing = new Set(distinct.filter((_, i) => found[i]!.exitCode !== 0));
  const service = services.find((s) => missing.has(images[s]!)) ?? services[0]!;
  const image = images[service]!;
  const build = composeArgv(target, 'build', service).join(' ');
  throw new PreflightError(
    'image-missing',
    `The image ${image} of service ${service} does not exist locally.`,
    `Build it: ${build}${image.startsWith('lem-tui-') ? ' (or scripts/build-images.sh for the demo and test images)' : ''}, or pull it.`,
  );
}

type ServiceDefs = Record<string, { image?: unknown; volumes?: unknown }>;

function mountsOf(services: readonly string[], defs: ServiceDefs): Record<string, BindMount[]> {
  return Object.fromEntries(services.map((s) => [s, bindMountsOf(defs[s])]));
}

/**
 * The services' bind mounts without the other checks (for --dry-run, which
 * must not fail for want of an engine): null when compose cannot say.
 */
export async function readServiceMounts(
  target: ComposeTarget,
  services: readonly string[],
  clientEnv?: Record<string, string>,
): Promise<Record<string, BindMount[]> | null> {
  const config = await capture(composeArgv(target, 'config'), { env: composeClientEnv(clientEnv), timeoutMs: 30_000 });
  const defs = config.exitCode === 0 ? serviceDefinitions(config.stdout) : null;
  return defs ? mountsOf(services, defs) : null;
}

/** The services of compose's resolved config, or null when it is not YAML we can read. */
function serviceDefinitions(yamlText: string): ServiceDefs | null {
  try {
    const doc: unknown = parse(yamlText);
    const services = (doc as { services?: unknown } | null)?.services;
    return services && typeof services === 'object' ? (services as ServiceDefs) : null;
  } catch {
    return null;
  }
}

async function listServices(target: ComposeTarget, env: Record<string, string>): Promise<ServiceDefs> {
  const r = await capture(configServicesArgv(target), { env, timeoutMs: 30_000 });
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((name) => [name, {}]),
  );
}

/**
 * The image each service uses. A service with only `build:` gets compose's
 * default name: `<project>_<service>` (v1) or `<project>-<service>` (v2).
 */
function serviceImages(target: ComposeTarget, services: string[], defs: ServiceDefs): Record<string, string> {
  const sep = target.flavour === 'v1' ? '_' : '-';
  const out: Record<string, string> = {};
  for (const s of services) {
    const image = defs[s]?.image;
    out[s] = typeof image === 'string' && image ? image : `${target.project}${sep}${s}`;
  }
  return out;
}

// Checks before any experiment starts. Each failure is ONE clear message with
// a hint, as a PreflightError the CLI maps to exit code 2 (nothing started).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { ComposeTarget } from './types.js';
import { configCheckArgv, composeArgv, configServicesArgv, imageInspectArgv } from './argv.js';
import { sweepProjectResources, type SweepResult } from './cleanup.js';
import { composeClientEnv } from './clientEnv.js';
import { composeTarget, detectFlavour, engineCli, guessFlavour, parseComposeCommand, type DetectedFlavour } from './flavour.js';
import { capture } from './process.js';
import { PreflightError } from './preflightError.js';
import { podmanLimitation } from './podmanLimits.js';
import { bindMountsOf, type BindMount } from './serviceMounts.js';

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

const firstLines = (s: string, n = 6) => s.trim().split('\n').slice(0, n).join('\n');

/** The engine answers (used for `--dispatch auto`): fast, never throws. */
export async function engineAvailable(cli = 'docker', timeoutMs = 3000): Promise<boolean> {
  const r = await capture([cli, 'version', '--format', '{{.Server.Version}}'], { timeoutMs });
  return r.exitCode === 0 && r.stdout.trim() !== '';
}

/** Remove every container and network left of a project, by label (volumes stay). */
export function sweepProject(project: string, cli = 'docker'): Promise<SweepResult> {
  return sweepProjectResources(cli, project);
}

export async function checkEngine(cli = 'docker'): Promise<void> {
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

/** All checks, in order; resolves the compose target to use. */
export async function preflight(options: PreflightOptions): Promise<PreflightResult> {
  const files = options.composeFiles.map((f) => path.resolve(f));
  const env = composeClientEnv(options.clientEnv);
  // Every v1 call starts Python (~0.6 s of CPU). The `config` call does not
  // depend on v1 vs v2, only on the command, so it starts now on the command
  // found on PATH, alongside the version probe that confirms the flavour; its
  // result is used only once every earlier check has passed (and is thrown
  // away if detection settles on another command).
  const guess = options.composeCommand ? parseComposeCommand(options.composeCommand) : await guessFlavour();
  const early = new AbortController();
  const configCall = (f: DetectedFlavour) =>
    capture(composeArgv(composeTarget(f, options.project, files), 'config'), {
      env,
      timeoutMs: 30_000,
      signal: early.signal,
    });
  const speculative = guess ? configCall(guess) : null;
  try {
    const flavour = await detectFlavour(options.composeCommand);
    const cli = flavour ? engineCli(flavour) : 'docker';
    const [version] = await Promise.all([
      options.composeCommand && flavour ? capture([...flavour.command, 'version'], { timeoutMs: 15_000 }) : null,
      checkEngine(cli),
    ]);
    if (!flavour) {
      throw new PreflightError(
        'compose-missing',
        'No Docker Compose found: neither `docker compose`, `docker-compose` nor `podman compose` answers.',
        'Install the Docker Compose plugin (https://docs.docker.com/compose/install/), or set the compose command in .lem-config.yaml.',
      );
    }
    if (version && version.exitCode !== 0) {
      throw podmanLimitation(flavour.command, version.stderr || version.stdout) ?? new PreflightError(
        'compose-missing',
        `The compose command "${options.composeCommand}" does not work: ${firstLines(version.spawnError ?? version.stderr, 2)}`,
        'Fix the compose command setting, or remove it to detect one.',
      );
    }
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
    const target = composeTarget(flavour, options.project, files);
    // One `config` call validates (like `config -q`), lists the services (like
    // `config --services`) and names their images.
    const sameCommand = guess && guess.command.join(' ') === flavour.command.join(' ');
    const config = await (speculative && sameCommand ? speculative : configCall(flavour));
    if (config.exitCode !== 0) {
      throw podmanLimitation(flavour.command, config.stderr || config.stdout) ?? new PreflightError(
        'compose-file-invalid',
        `The compose file is invalid: ${firstLines(config.stderr || config.stdout) || `exit ${config.exitCode}`}`,
        `Run \`${configCheckArgv(target).join(' ')}\` to see the problem.`,
      );
    }
    const defs = serviceDefinitions(config.stdout) ?? (await listServices(target, env));
    const defined = Object.keys(defs);
    const missing = options.services.filter((s) => !defined.includes(s));
    if (missing.length > 0) {
      throw new PreflightError(
        'service-undefined',
        `Service${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not defined in ${files.join(', ')} (defined: ${defined.join(', ') || 'none'}).`,
        "Each experiment's backend must name a service of the compose file: fix the campaign or the compose file.",
      );
    }
    const images = serviceImages(target, options.services, defs);
    if (options.checkImages !== false) await checkImages(target, options.services, images);
    return { flavour, target, images, mounts: mountsOf(options.services, defs) };
  } finally {
    // A check failed before the speculative call was needed: stop it.
    early.abort();
  }
}

/** Each service's image exists locally (inspected side by side, reported in service order). */
async function checkImages(target: ComposeTarget, services: string[], images: Record<string, string>): Promise<void> {
  const found = await Promise.all(
    services.map((s) => capture(imageInspectArgv(engineCli(target), images[s]!), { timeoutMs: 15_000 })),
  );
  services.forEach((service, i) => {
    if (found[i]!.exitCode === 0) return;
    const image = images[service]!;
    const build = composeArgv(target, 'build', service).join(' ');
    throw new PreflightError(
      'image-missing',
      `The image ${image} of service ${service} does not exist locally.`,
      `Build it: ${build}${image.startsWith('lem-tui-') ? ' (or scripts/build-images.sh for the demo and test images)' : ''}, or pull it.`,
    );
  });
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

// Checks before any experiment starts. Each failure is ONE clear message with
// a hint, as a PreflightError the CLI maps to exit code 2 (nothing started).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { ComposeTarget } from './types.js';
import { configCheckArgv, composeArgv, configServicesArgv, imageInspectArgv } from './argv.js';
import { sweepProjectResources, type SweepResult } from './cleanup.js';
import { composeClientEnv } from './clientEnv.js';
import { composeTarget, detectFlavour, engineCli, type DetectedFlavour } from './flavour.js';
import { capture } from './process.js';

export type PreflightProblem =
  | 'docker-missing'
  | 'engine-unreachable'
  | 'engine-permission'
  | 'compose-missing'
  | 'compose-file-missing'
  | 'compose-file-invalid'
  | 'service-undefined'
  | 'image-missing';

export class PreflightError extends Error {
  /** The exit code the CLI uses: bad input or environment, nothing started. */
  readonly exitCode = 2;
  constructor(
    readonly problem: PreflightProblem,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'PreflightError';
  }
}

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
  const flavour = await detectFlavour(options.composeCommand);
  const cli = flavour ? engineCli(flavour) : 'docker';
  await checkEngine(cli);
  if (!flavour) {
    throw new PreflightError(
      'compose-missing',
      'No Docker Compose found: neither `docker compose`, `docker-compose` nor `podman compose` answers.',
      'Install the Docker Compose plugin (https://docs.docker.com/compose/install/), or set the compose command in .lem-config.yaml.',
    );
  }
  if (options.composeCommand) {
    const v = await capture([...flavour.command, 'version'], { timeoutMs: 15_000 });
    if (v.exitCode !== 0) {
      throw new PreflightError(
        'compose-missing',
        `The compose command "${options.composeCommand}" does not work: ${firstLines(v.spawnError ?? v.stderr, 2)}`,
        'Fix the compose command setting, or remove it to detect one.',
      );
    }
  }
  const files = options.composeFiles.map((f) => path.resolve(f));
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
  const env = composeClientEnv(options.clientEnv);
  // One `config` call validates (like `config -q`), lists the services (like
  // `config --services`) and names their images: each v1 call costs ~0.7 s.
  const config = await capture(composeArgv(target, 'config'), { env, timeoutMs: 30_000 });
  if (config.exitCode !== 0) {
    throw new PreflightError(
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
  if (options.checkImages !== false) {
    for (const service of options.services) {
      const image = images[service]!;
      const r = await capture(imageInspectArgv(engineCli(flavour), image), { timeoutMs: 15_000 });
      if (r.exitCode !== 0) {
        const build = composeArgv(target, 'build', service).join(' ');
        throw new PreflightError(
          'image-missing',
          `The image ${image} of service ${service} does not exist locally.`,
          `Build it: ${build}${image.startsWith('lem-tui-') ? ' (or scripts/build-images.sh for the demo and test images)' : ''}, or pull it.`,
        );
      }
    }
  }
  return { flavour, target, images };
}

type ServiceDefs = Record<string, { image?: unknown }>;

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

// Which compose command this machine has: `docker compose` (v2 plugin), else
// `docker-compose` (v1), else `podman compose`. Detected once, overridable.
import type { ComposeFlavour, ComposeTarget } from './types.js';
import fs from 'node:fs';
import path from 'node:path';
import { capture, type CaptureResult } from '../io/process/process.js';
import { launchComposeVia } from '../io/process/launch.js';

export interface DetectedFlavour {
  flavour: ComposeFlavour;
  command: string[];
  version: string | null;
}

const CANDIDATES: DetectedFlavour[] = [
  { flavour: 'v2', command: ['docker', 'compose'], version: null },
  { flavour: 'v1', command: ['docker-compose'], version: null },
  { flavour: 'podman', command: ['podman', 'compose'], version: null },
];

/** Flavour of an explicit command string such as "docker-compose" or "podman compose". */
export function parseComposeCommand(command: string): DetectedFlavour {
  const argv = command.trim().split(/\s+/).filter(Boolean);
  if (argv.length === 0) throw new Error('empty compose command');
  const base = (s: string) => s.split('/').pop() ?? s;
  const first = base(argv[0]!);
  const flavour: ComposeFlavour =
    first.startsWith('podman') ? 'podman' : first === 'docker-compose' ? 'v1' : 'v2';
  return { flavour, command: argv, version: null };
}

let cached: Promise<DetectedFlavour | null> | null = null;
/** `docker compose version --short`, asked once per process (the guess and the probe share it). */
let v2Answer: Promise<CaptureResult> | null = null;

function askV2(env: NodeJS.ProcessEnv): Promise<CaptureResult> {
  const ask = () => capture(['docker', 'compose', 'version', '--short'], { timeoutMs: 10_000, env: { PATH: env.PATH ?? '' } });
  if (env !== process.env) return ask();
  v2Answer ??= ask();
  return v2Answer;
}

let pluginChecked: Promise<boolean> | null = null;

/**
 * Run `docker compose` through the plugin binary `plugin` from now on when
 * it answers `version --short` exactly as `docker compose` does (the same
 * install; composePlugin.ts). Asked once per process; false keeps the docker CLI.
 */
export function useComposePlugin(plugin: string): Promise<boolean> {
  pluginChecked ??= (async () => {
    const [viaDocker, direct] = await Promise.all([askV2(process.env), capture([plugin, 'version', '--short'], { timeoutMs: 10_000 })]);
    const same = viaDocker.exitCode === 0 && direct.exitCode === 0 && direct.stdout.trim() !== '' && direct.stdout.trim() === viaDocker.stdout.trim();
    if (same) launchComposeVia(plugin);
    return same;
  })();
  return pluginChecked;
}

/** `docker compose`, the command the plugin binary can stand in for. */
export const isDockerCompose = (command: readonly string[]): boolean => command.length === 2 && command[0] === 'docker' && command[1] === 'compose';

/** `docker compose version --short`, asked once per process (detection, the plugin check and a named `docker compose` share it). */
export function dockerComposeVersion(): Promise<CaptureResult> {
  return askV2(process.env);
}

/**
 * Detect the compose flavour once per process. `override` (a command string
 * from the settings) skips detection. Resolves null when none is installed.
 */
export function detectFlavour(override?: string | null): Promise<DetectedFlavour | null> {
  if (override) return Promise.resolve(parseComposeCommand(override));
  cached ??= probe();
  return cached;
}

/**
 * A cheaper guess for --dry-run, which only shows the argv: v2 answers
 * `docker compose version` in ~25 ms, but asking v1 costs a Python start
 * (~0.75 s), so v1 and podman are found on PATH without being run. A real
 * run uses detectFlavour and its preflight proves the command works.
 */
export async function guessFlavour(env: NodeJS.ProcessEnv = process.env): Promise<DetectedFlavour | null> {
  const v2 = await askV2(env);
  if (v2.exitCode === 0) return { ...CANDIDATES[0]!, version: null };
  if (onPath('docker-compose', env)) return { ...CANDIDATES[1]!, version: null };
  if (onPath('podman', env)) return { ...CANDIDATES[2]!, version: null };
  return null;
}

export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Forget the detected flavour (tests). */
export function resetFlavourCache(): void {
  cached = null;
  v2Answer = null;
  pluginChecked = null;
  launchComposeVia(null);
}

async function probe(): Promise<DetectedFlavour | null> {
  for (const candidate of CANDIDATES) {
    // v1 and v2 both answer `version --short`; podman-compose does not know
    // --short, so ask it plainly.
    const args = candidate.flavour === 'podman' ? ['version'] : ['version', '--short'];
    const r = candidate.flavour === 'v2' ? await askV2(process.env) : await capture([...candidate.command, ...args], { timeoutMs: 10_000 });
    if (r.exitCode === 0) {
      return { ...candidate, version: r.stdout.trim().split('\n')[0] ?? null };
    }
  }
  return null;
}

/** A ComposeTarget from a detected flavour or an explicit command string. */
export function composeTarget(
  flavourOrCommand: DetectedFlavour | string,
  project: string,
  files: string[],
): ComposeTarget {
  const f = typeof flavourOrCommand === 'string' ? parseComposeCommand(flavourOrCommand) : flavourOrCommand;
  return { flavour: f.flavour, command: [...f.command], project, files: [...files] };
}

/** The engine CLI that goes with a compose flavour (for ps, events, inspect, kill, rm). */
export function engineCli(target: Pick<ComposeTarget, 'flavour'>): string {
  return target.flavour === 'podman' ? 'podman' : 'docker';
}

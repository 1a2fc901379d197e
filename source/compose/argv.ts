// Pure argv builders for compose and the engine CLI. No I/O: --dry-run prints
// exactly what these return (secrets masked).
import type { ComposeTarget } from './types.js';
import type { DispatchRequest } from '../domain/runRequest.js';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/** The compose command with `-p project` and each `-f file`, then `args`. */
export function composeArgv(target: ComposeTarget, ...args: string[]): string[] {
  const files = target.files.flatMap((f) => ['-f', f]);
  return [...target.command, '-p', target.project, ...files, ...args];
}

/**
 * `-e` flags for an environment. A secret goes as a bare `-e KEY`: compose
 * then takes its value from its own environment (runEnv below), so the
 * token never appears in the process table (measured on v1 1.29 for exec
 * and run; v2 follows the docker CLI, which does the same).
 */
export function envFlags(env: Record<string, string>, secretKeys: string[] = []): string[] {
  const secret = new Set(secretKeys);
  return Object.entries(env).flatMap(([k, v]) => ['-e', secret.has(k) ? k : `${k}=${v}`]);
}

/** The environment the compose client needs for the bare `-e KEY` secrets. */
export function secretEnv(req: Pick<DispatchRequest, 'env' | 'secretKeys'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of req.secretKeys) {
    const v = req.env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function upArgv(target: ComposeTarget, services: string[]): string[] {
  return composeArgv(target, 'up', '-d', ...services);
}

/** Always -T: no TTY, or compose wants one and the output gets mangled. */
export function execArgv(target: ComposeTarget, req: DispatchRequest): string[] {
  return composeArgv(target, 'exec', '-T', ...envFlags(req.env, req.secretKeys), req.service, ...req.argv);
}

export function ephemeralRunArgv(target: ComposeTarget, req: DispatchRequest, containerName: string): string[] {
  return composeArgv(
    target,
    'run',
    '--rm',
    '-T',
    '--name',
    containerName,
    ...envFlags(req.env, req.secretKeys),
    req.service,
    ...req.argv,
  );
}

/**
 * Never `-v`: the named volumes hold the model caches (Hugging Face,
 * TensorRT engines) that take hours to rebuild (LEM-FORMATS.md, "Dispatch").
 */
export function downArgv(target: ComposeTarget, graceSeconds: number): string[] {
  return composeArgv(target, 'down', '--remove-orphans', '-t', String(Math.max(0, Math.round(graceSeconds))));
}

export function configCheckArgv(target: ComposeTarget): string[] {
  return composeArgv(target, 'config', '-q');
}

export function configServicesArgv(target: ComposeTarget): string[] {
  return composeArgv(target, 'config', '--services');
}

/** Replace secret values by `***`: `-e HF_TOKEN=abc` and bare `-e HF_TOKEN` both show as `-e HF_TOKEN=***`. */
export function maskSecrets(argv: string[], secretKeys: string[]): string[] {
  if (secretKeys.length === 0) return [...argv];
  const secret = new Set(secretKeys);
  return argv.map((arg, i) => {
    const eq = arg.indexOf('=');
    const key = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!secret.has(key)) return arg;
    const prev = argv[i - 1];
    if (eq >= 0 || prev === '-e' || prev === '--env') return `${key}=***`;
    return arg;
  });
}

/**
 * A container name we know before `run` starts, so the escalation ladder can
 * `docker kill` / `docker rm -f` it by name. Docker names: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
 */
export function ephemeralContainerName(project: string, expId: string, attempt: number, gpus?: readonly string[]): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  const id = clean(expId).slice(0, 60) || 'exp';
  // With --gpus the name says the GPU: `docker ps` shows which one-off runs where.
  const gpu = gpus?.length ? `-gpu${gpus.map((g) => g.replace(/[^a-zA-Z0-9]+/g, '').slice(0, 12)).join('-')}` : '';
  return `${clean(project) || 'lem'}-run-${id}-${attempt}${gpu}`;
}

// The engine CLI (docker or podman): watch and clean by the project label.

export function psArgv(cli: string, project: string): string[] {
  return [cli, 'ps', '-a', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{json .}}'];
}

export function eventsArgv(cli: string, project: string): string[] {
  return [cli, 'events', '--filter', `label=${PROJECT_LABEL}=${project}`, '--filter', 'type=container', '--format', '{{json .}}'];
}

export function inspectArgv(cli: string, ids: string[]): string[] {
  return [cli, 'inspect', '--type', 'container', ...ids];
}

export function engineKillArgv(cli: string, names: string[], signal = 'SIGKILL'): string[] {
  return [cli, 'kill', '--signal', signal, ...names];
}

export function engineStopArgv(cli: string, names: string[], graceSeconds: number): string[] {
  return [cli, 'stop', '-t', String(graceSeconds), ...names];
}

export function engineRmArgv(cli: string, names: string[]): string[] {
  return [cli, 'rm', '-f', ...names];
}

export function networkLsArgv(cli: string, project: string): string[] {
  return [cli, 'network', 'ls', '-q', '--filter', `label=${PROJECT_LABEL}=${project}`];
}

export function imageInspectArgv(cli: string, ...images: string[]): string[] {
  return [cli, 'image', 'inspect', '--format', '{{.Id}}', ...images];
}

/** A compose command for the user to paste: `env K=V …` for what lem-tui's own calls add (composeClientEnv). */
export function userCommand(argv: string[], clientEnv: Record<string, string>): string[] {
  const assignments = Object.entries(clientEnv).map(([k, v]) => `${k}=${v}`);
  return assignments.length > 0 ? ['env', ...assignments, ...argv] : argv;
}

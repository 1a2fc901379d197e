// Shared set-up for the real-engine tests.
//
// (a) The engine must answer: in CI (CI=true) a missing engine FAILS the
//     suite (never skip silently there); elsewhere the suite is skipped with
//     a loud message.
// (b) The test image is built once per file by scripts/build-images.sh
//     (idempotent: a no-op when up to date).
// (c) After EVERY test: no container, network or volume of the test's
//     compose project may remain; then everything of it is force-removed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect } from 'vitest';
import { capture } from '../../source/io/process/process.js';
import { composeTarget } from '../../source/compose/flavour.js';
import type { ComposeTarget } from '../../source/compose/types.js';
import type { DispatchRequest } from '../../source/domain/runRequest.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const COMPOSE_FILE = path.join(ROOT, 'fixtures/compose/docker-compose.test.yml');
export const TEST_IMAGE = 'lem-tui-test:latest';
const LABEL = 'com.docker.compose.project';

/** Whether the engine answers; in CI a missing engine throws (the suite fails). */
export async function engineForTests(): Promise<boolean> {
  const r = await capture(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
  if (r.exitCode === 0) return true;
  const why = r.spawnError ?? r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`;
  if (process.env.CI === 'true') {
    throw new Error(`Docker engine not answering in CI (${why}): the real-engine tests must run here, not skip.`);
  }
  console.warn(`\n!!! SKIPPING real-engine tests: the Docker engine does not answer (${why}).\n!!! Start it (scripts/start-docker.sh) to run them.\n`);
  return false;
}

let counter = 0;

/** The compose command these tests drive: LEM_TEST_COMPOSE overrides (e.g. "docker compose"). */
export const COMPOSE_COMMAND = process.env.LEM_TEST_COMPOSE ?? 'docker-compose';

export interface DockerSuite {
  /** A fresh, unique compose project for this test; checked and cleaned after it. */
  project(tag: string): string;
  target(project: string, files?: string[]): ComposeTarget;
}

async function leftovers(project: string): Promise<string[]> {
  const filter = `label=${LABEL}=${project}`;
  const ps = await capture(['docker', 'ps', '-a', '--filter', filter, '--format', '{{.Names}} ({{.Status}})']);
  const nets = await capture(['docker', 'network', 'ls', '--filter', filter, '--format', 'network {{.Name}}']);
  const vols = await capture(['docker', 'volume', 'ls', '--filter', filter, '--format', 'volume {{.Name}}']);
  return [ps.stdout, nets.stdout, vols.stdout].flatMap((s) => s.split('\n')).filter(Boolean);
}

async function forceClean(project: string): Promise<void> {
  const filter = `label=${LABEL}=${project}`;
  const ids = (await capture(['docker', 'ps', '-aq', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (ids.length) await capture(['docker', 'rm', '-f', ...ids]);
  const nets = (await capture(['docker', 'network', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (nets.length) await capture(['docker', 'network', 'rm', ...nets]);
  const vols = (await capture(['docker', 'volume', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (vols.length) await capture(['docker', 'volume', 'rm', '-f', ...vols]);
}

/** Call at the top of a describe block that `engineForTests()` allowed. */
export function useDockerSuite(): DockerSuite {
  let projects: string[] = [];
  beforeAll(async () => {
    const r = await capture([path.join(ROOT, 'scripts/build-images.sh')], { timeoutMs: 120_000 });
    if (r.exitCode !== 0) throw new Error(`scripts/build-images.sh failed: ${r.stderr || r.spawnError}`);
  }, 120_000);
  afterEach(async () => {
    const checked = projects;
    projects = [];
    const left: string[] = [];
    for (const p of checked) {
      const l = await leftovers(p);
      if (l.length) left.push(`${p}: ${l.join(', ')}`);
      await forceClean(p);
    }
    expect(left, 'resources left behind by the test').toEqual([]);
  });
  return {
    project(tag: string) {
      counter += 1;
      const p = `lemtest-${tag}-${process.pid}-${counter}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      projects.push(p);
      return p;
    },
    target(project: string, files: string[] = [COMPOSE_FILE]) {
      return composeTarget(COMPOSE_COMMAND, project, files);
    },
  };
}

/** A request running `argv` in `service`, with no time limits unless given. */
export function request(service: string, argv: string[], extra: Partial<DispatchRequest> = {}): DispatchRequest {
  return {
    expId: `exp-${service}`,
    service,
    argv,
    env: {},
    secretKeys: [],
    timeoutMs: 0,
    inactivityMs: 0,
    stuckMs: 0,
    ...extra,
  };
}

/** Collects the lines a run streams. */
export function lineSink() {
  const lines: { line: string; stream: 'stdout' | 'stderr'; at: number }[] = [];
  return {
    lines,
    onLine: (line: string, stream: 'stdout' | 'stderr') => lines.push({ line, stream, at: Date.now() }),
    stdout: () => lines.filter((l) => l.stream === 'stdout').map((l) => l.line),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

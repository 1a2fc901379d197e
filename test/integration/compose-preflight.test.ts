// Preflight against the real engine and compose CLI: one clear message each.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findComposePlugin } from '../../source/compose/composePlugin.js';
import { detectFlavour, resetFlavourCache, useComposePlugin } from '../../source/compose/flavour.js';
import { launchArgv } from '../../source/io/process/launch.js';
import { checkEngine, engineAvailable, preflight, PreflightError, sweepProject } from '../../source/compose/preflight.js';
import { capture } from '../../source/io/process/process.js';
import { COMPOSE_COMMAND, COMPOSE_FILE, engineForTests, useDockerSuite } from '../helpers/docker.js';

const engine = await engineForTests();

async function problem(p: Promise<unknown>): Promise<PreflightError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PreflightError);
  return e as PreflightError;
}

describe.runIf(engine)('preflight (real engine)', () => {
  const suite = useDockerSuite();
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lem-pre-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const base = (tag: string) => ({ project: suite.project(tag), composeCommand: COMPOSE_COMMAND, composeFiles: [COMPOSE_FILE] });

  it('detects the installed compose flavour once, v2 first', async () => {
    resetFlavourCache();
    const first = detectFlavour();
    expect(detectFlavour()).toBe(first); // cached
    const f = await first;
    expect(f).not.toBeNull();
    const v2 = (await capture(['docker', 'compose', 'version'], { timeoutMs: 10_000 })).exitCode === 0;
    // CI installs both (scripts/start-docker.sh): there, detection must pick v2.
    if (process.env.CI === 'true') expect(v2).toBe(true);
    expect(f!.flavour).toBe(v2 ? 'v2' : 'v1');
    expect(f!.version).toMatch(/\d+\.\d+/);
    expect((await detectFlavour('docker-compose'))!.flavour).toBe('v1');
  });

  it('passes and resolves the target and images', async () => {
    const r = await preflight({ ...base('ok'), services: ['pytorch', 'vllm'] });
    expect(r.target.files).toEqual([COMPOSE_FILE]);
    expect(r.images).toEqual({ pytorch: 'lem-tui-test:latest', vllm: 'lem-tui-test:latest' });
  });

  it('a missing compose file', async () => {
    const e = await problem(preflight({ ...base('nofile'), composeFiles: [path.join(dir, 'nope.yml')], services: ['pytorch'] }));
    expect(e.problem).toBe('compose-file-missing');
    expect(e.message).toBe(`Compose file not found: ${path.join(dir, 'nope.yml')}`);
    expect(e.exitCode).toBe(2);
  });

  it('an invalid compose file shows compose\'s own message', async () => {
    const bad = path.join(dir, 'bad.yml');
    await writeFile(bad, 'services:\n  pytorch:\n    image: x\n    bogus_key: 1\n');
    const e = await problem(preflight({ ...base('invalid'), composeFiles: [bad], services: ['pytorch'] }));
    expect(e.problem).toBe('compose-file-invalid');
    expect(e.message).toMatch(/bogus_key/);
    expect(e.hint).toMatch(/config -q/);
  });

  it('a service the compose file does not define', async () => {
    const e = await problem(preflight({ ...base('nosvc'), services: ['pytorch', 'tensorrt'] }));
    expect(e.problem).toBe('service-undefined');
    expect(e.message).toMatch(/^Service tensorrt not defined in .*docker-compose\.test\.yml \(defined: .*pytorch.*\)\.$/);
  });

  it('an image that does not exist locally', async () => {
    const e = await problem(preflight({ ...base('noimg'), services: ['pytorch', 'ghost'] }));
    expect(e.problem).toBe('image-missing');
    expect(e.message).toBe('The image lem-tui-missing:never-built of service ghost does not exist locally.');
    expect(e.hint).toMatch(/build ghost/);
  });

  it('the image compose resolves is checked, not the one the file spells (interpolated, or overridden later)', async () => {
    const interpolated = path.join(dir, 'interpolated.yml');
    await writeFile(interpolated, 'services:\n  pytorch:\n    image: lem-tui-${LEM_TEST_TAG:-missing}:never-built\n    network_mode: none\n');
    const e = await problem(preflight({ ...base('interp'), composeFiles: [interpolated], services: ['pytorch'] }));
    expect(e.message).toBe('The image lem-tui-missing:never-built of service pytorch does not exist locally.');
    const over = path.join(dir, 'over.yml');
    await writeFile(over, 'services:\n  vllm:\n    image: lem-tui-missing:never-built\n');
    const o = await problem(preflight({ ...base('over'), composeFiles: [COMPOSE_FILE, over], services: ['pytorch', 'vllm'] }));
    expect(o.message).toBe('The image lem-tui-missing:never-built of service vllm does not exist locally.');
  });

  it('`docker compose` runs its plugin binary directly only when that answers as `docker compose` does', async () => {
    const real = findComposePlugin();
    if (process.env.CI === 'true') expect(real, 'scripts/start-docker.sh installs the compose plugin').not.toBeNull();
    if (!real) return;
    const other = path.join(dir, 'other-compose');
    await writeFile(other, '#!/bin/sh\necho 9.9.9\n', { mode: 0o755 });
    const same = path.join(dir, 'same-compose');
    await writeFile(same, `#!/bin/sh\nexec ${real} "$@"\n`, { mode: 0o755 });
    const trace = path.join(dir, 'plugin-trace.jsonl');
    process.env.LEM_TUI_TRACE = trace;
    try {
      resetFlavourCache();
      expect(await useComposePlugin(other)).toBe(false);
      expect(launchArgv(['docker', 'compose', 'ps'])).toEqual(['docker', 'compose', 'ps']);
      resetFlavourCache();
      expect(await useComposePlugin(same)).toBe(true);
      const r = await capture(['docker', 'compose', '-p', suite.project('plugin'), '-f', COMPOSE_FILE, 'config', '--services'], { timeoutMs: 30_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.split('\n')).toContain('pytorch');
      const spawned = (await readFile(trace, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv);
      expect(spawned.at(-1)!.slice(0, 2)).toEqual([same, '-p']);
    } finally {
      delete process.env.LEM_TUI_TRACE;
      resetFlavourCache();
    }
  });

  it('a compose command that does not work', async () => {
    const e = await problem(preflight({ ...base('nocmd'), composeCommand: 'lem-tui-no-such-compose', services: ['pytorch'] }));
    expect(e.problem).toBe('compose-missing');
    expect(e.message).toMatch(/^The compose command "lem-tui-no-such-compose" does not work: /);
    // Said before a missing compose file, as the order of the checks promises.
    const both = await problem(preflight({ ...base('nocmd2'), composeCommand: 'lem-tui-no-such-compose', composeFiles: [path.join(dir, 'nope.yml')], services: ['pytorch'] }));
    expect(both.problem).toBe('compose-missing');
    // One that runs but is not a compose (its `config` and `version` both fail): the command, not the file.
    const fake = path.join(dir, 'not-compose');
    await writeFile(fake, '#!/bin/sh\necho "not-compose: unknown command $1" >&2\nexit 1\n', { mode: 0o755 });
    const odd = await problem(preflight({ ...base('nocmd3'), composeCommand: fake, services: ['pytorch'] }));
    expect(odd.problem).toBe('compose-missing');
    expect(odd.message).toContain('not-compose: unknown command version');
  });

  it('docker missing, engine unreachable', async () => {
    expect((await problem(checkEngine('lem-tui-no-such-docker'))).problem).toBe('docker-missing');
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${path.join(dir, 'no.sock')}`;
    try {
      const e = await problem(checkEngine());
      expect(e.problem).toBe('engine-unreachable');
      expect(e.message).toMatch(/not reachable/);
      expect(await engineAvailable()).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
    expect(await engineAvailable()).toBe(true);
    expect(await engineAvailable('lem-tui-no-such-docker')).toBe(false);
  });

  it('sweepProject removes leftover containers by label', async () => {
    const project = suite.project('sweep');
    const started = await capture([
      'docker', 'run', '-d', '--network', 'none', '--name', `${project}-left`,
      '--label', `com.docker.compose.project=${project}`, 'lem-tui-test:latest', 'sleep', '30',
    ]);
    expect(started.exitCode).toBe(0);
    const r = await sweepProject(project);
    expect(r).toEqual({ removed: [`${project}-left`], failed: [] });
    expect(await sweepProject(project)).toEqual({ removed: [], failed: [] });
  });
});

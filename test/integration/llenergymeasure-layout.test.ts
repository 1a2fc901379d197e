// A real user's setup: llenergymeasure's own repository layout
// (fixtures/llenergymeasure: the campaign in configs/examples/, the compose
// file and .lem-config.yaml at the root, stand-in images), run from the
// root as its users do, against the real engine with the compose flavour
// under test. Also: two campaigns with the same campaign_name in two folders,
// at the same time, must not touch each other's containers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { capture } from '../../source/io/process/process.js';
import { engineForTests, useDockerSuite } from '../helpers/docker.js';
import {
  campaignIn,
  expectCompletedOnce,
  parseNdjson,
  projectLeftovers,
  ROOT,
  runCli,
  snapshotTree,
  startCli,
  useCampaignProjects,
  type Campaign,
} from '../helpers/cli.js';

const engine = await engineForTests();
const FIXTURE = path.join(ROOT, 'fixtures/llenergymeasure');
const CAMPAIGN = 'configs/examples/campaign_example.yaml';
const dirs: string[] = [];

/**
 * A copy of the layout in a temp dir, with its campaign named `name`. Only
 * the timing is changed: gaps of 0 s and `seconds` per experiment instead of
 * the example's 60 s / 300 s thermal gaps.
 */
function lemRepo(tag: string, name = `t-lem-${tag}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, seconds = 1): Campaign {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lem-repo-${tag}-`));
  dirs.push(dir);
  fs.cpSync(FIXTURE, dir, {
    recursive: true,
    filter: (src) => !path.relative(FIXTURE, src).split(path.sep).some((part) => part === '.state' || part.startsWith('_campaign_')),
  });
  const file = path.join(dir, CAMPAIGN);
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  doc.set('campaign_name', name);
  doc.setIn(['execution', 'config_gap_seconds'], 0);
  doc.setIn(['execution', 'cycle_gap_seconds'], 0);
  fs.writeFileSync(file, doc.toString());
  for (const config of ['pytorch_example.yaml', 'vllm_example.yaml']) {
    const p = path.join(dir, 'configs/examples', config);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/duration_seconds: \d+/, `duration_seconds: ${seconds}`));
  }
  return campaignIn(dir, file, name);
}

const run = (extra: string[] = [], cycles = 2) => [CAMPAIGN, '--yes', '--no-tui', '--json', '--dispatch', 'docker', '--cycles', String(cycles), ...extra];

describe.runIf(engine)("llenergymeasure's repository layout, run from its root (real engine)", () => {
  useDockerSuite();
  const projects = useCampaignProjects();
  afterAll(async () => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    // The layout's model cache volume, which no teardown may remove.
    await capture(['docker', 'volume', 'rm', 'lem-hf-cache', 'lem-trt-engine-cache']);
  });

  it('--dry-run names the compose file found at the root and writes nothing', async () => {
    const c = lemRepo('dry');
    const before = snapshotTree(c.dir);
    const r = await runCli([CAMPAIGN, '--dry-run', '--dispatch', 'docker'], { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Compose file: docker-compose.yml (found in the current directory, as docker compose finds it)');
    expect(r.stdout).toContain(`-p ${c.project} -f ${path.join(c.dir, 'docker-compose.yml')} run --rm`);
    expect(r.stdout).toContain('note: experiment configs are written to configs, which the services mount at /app/configs');
    expect(snapshotTree(c.dir)).toEqual(before);
  });

  it('ephemeral (the strategy of its .lem-config.yaml): configs written where the services mount them, results read from the root', async () => {
    const c = projects.track(lemRepo('eph'));
    const r = await runCli(run(), { cwd: c.dir, timeoutMs: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    expect(events[0]).toMatchObject({ type: 'campaign.started', strategy: 'ephemeral', composeProject: c.project });
    expectCompletedOnce(c, 4);
    expect(fs.readdirSync(path.join(c.dir, 'configs')).filter((f) => f.startsWith('_campaign_')), 'configs removed afterwards').toEqual([]);
    expect(fs.existsSync(path.join(c.dir, 'configs/examples/configs')), 'nothing beside the campaign').toBe(false);
    expect(await projectLeftovers(c.project)).toEqual([]);
    expect((await capture(['docker', 'volume', 'inspect', 'lem-hf-cache'])).exitCode, 'the cache volume is kept').toBe(0);
  }, 120_000);

  it('persistent: only the services the campaign uses start, and all of them go at the end', async () => {
    const c = projects.track(lemRepo('pers'));
    const r = await runCli(run(['--container-strategy', 'persistent']), { cwd: c.dir, timeoutMs: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const events = parseNdjson(r.stdout);
    const started = new Set(events.filter((e) => e.type === 'service.state').map((e) => e.service));
    expect([...started].sort()).toEqual(['pytorch', 'vllm']);
    expectCompletedOnce(c, 4);
    expect(await projectLeftovers(c.project)).toEqual([]);
  }, 120_000);

  it('a service without an /app/configs mount: exit 2 naming the service and the mount; nothing started or written', async () => {
    const c = projects.track(lemRepo('nomount'));
    const compose = path.join(c.dir, 'docker-compose.yml');
    // The first service of the file, pytorch, loses its configs mount.
    fs.writeFileSync(compose, fs.readFileSync(compose, 'utf8').replace('      - ${LLM_ENERGY_CONFIGS_DIR:-./configs}:/app/configs\n', ''));
    const r = await runCli(run(), { cwd: c.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Service pytorch has no bind mount at /app/configs: lem-tui writes each experiment's config there.");
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(fs.existsSync(c.manifestPath)).toBe(false);
    expect(await projectLeftovers(c.project)).toEqual([]);
  });

  it('no compose file anywhere while the engine runs: exit 2, and the hint is about the compose file, not the engine', async () => {
    const c = lemRepo('nofile');
    fs.rmSync(path.join(c.dir, 'docker-compose.yml'));
    const r = await runCli([CAMPAIGN, '--yes', '--no-tui', '--lem-command', 'no-such-lem'], { cwd: c.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('lem-tui: no compose file (none found: no compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml');
    expect(r.stderr).toContain('hint: run from the folder that holds the compose file, or name it with --compose-file');
    expect(r.stderr).not.toContain('start the Docker engine');
  });

  it('two campaigns with the same campaign_name in two folders, at the same time: both complete, neither touches the other', async () => {
    const name = `t-lem-twins-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
    const a = projects.track(lemRepo('twin-a', name, 2));
    const b = projects.track(lemRepo('twin-b', name, 1));
    expect(a.project).not.toBe(b.project);
    // A keeps its services up throughout; B starts (sweeping leftovers) and
    // ends (compose down) while A runs: with one shared project, B's down
    // would remove A's services under its running experiment.
    const first = startCli(run(['--container-strategy', 'persistent']), { cwd: a.dir, timeoutMs: 150_000 });
    await first.waitFor((e) => e.type === 'experiment.started', 60_000);
    const second = await runCli(run([], 1), { cwd: b.dir, timeoutMs: 120_000 });
    expect(second.exitCode, second.stderr).toBe(0);
    const done = await first.done;
    expect(done.exitCode, done.stderr).toBe(0);
    expectCompletedOnce(a, 4);
    expectCompletedOnce(b, 2);
    const restartsOfA = first.events.filter((e) => e.type === 'service.state' && Number(e.restarts) > 0);
    expect(restartsOfA, "A's services were never restarted").toEqual([]);
  }, 180_000);
});

// What a real run asks the engine and compose before its first experiment and
// after `down` (LEM_TUI_TRACE): each question once (BENCHMARKS.md, issue 16).
// Both strategies; the flavour under test named as the other tests name it,
// and with v2 also detected, as a user without settings has it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPOSE_COMMAND, engineForTests, useDockerSuite } from '../helpers/docker.js';
import { makeCampaign, projectLeftovers, removeCampaignDirs, runCli, useCampaignProjects } from '../helpers/cli.js';

const engine = await engineForTests();

interface Call {
  argv: string[];
  start: number;
  end: number;
}

function traceOf(file: string): Call[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Call);
}

/** The question a call asks, or null for an experiment and the long-running watcher. */
function question(argv: string[]): string | null {
  const rest = argv.slice(1);
  if (rest.includes('experiment') || rest[0] === 'events') return null;
  if (argv[0] === 'docker' && rest[0] === 'version') return 'engine version';
  if (argv[0] === 'nvidia-smi') return 'nvidia-smi';
  if (rest[0] === 'image' && rest[1] === 'inspect') return 'image inspect';
  if (rest[0] === 'ps' || rest[0] === 'network' || rest[0] === 'top' || rest[0] === 'inspect') return rest[0];
  for (const word of ['config', 'up', 'down']) if (rest.includes(word)) return `compose ${word}`;
  if (rest.includes('version')) return `${argv.slice(0, argv.indexOf('version')).join(' ')} version`;
  return argv.join(' ');
}

const count = (calls: Call[]) => {
  const out: Record<string, number> = {};
  for (const c of calls) {
    const q = question(c.argv);
    if (q) out[q] = (out[q] ?? 0) + 1;
  }
  return out;
};

describe.runIf(engine)('start-up and teardown calls of a real run (trace)', () => {
  useDockerSuite();
  const projects = useCampaignProjects();
  afterAll(() => removeCampaignDirs());
  const v2 = COMPOSE_COMMAND === 'docker compose';

  for (const strategy of ['ephemeral', 'persistent'] as const) {
    for (const detected of v2 ? [false, true] : [false]) {
      it(`${strategy}, compose ${detected ? 'detected' : 'named'}: each question once before the first experiment; one ps after down, no network check`, async () => {
        const c = projects.track(makeCampaign('basic.yaml', `calls-${strategy}`));
        const trace = path.join(c.dir, 'trace.jsonl');
        const args = [c.file, '--no-tui', '--yes', '--dispatch', 'docker', '--container-strategy', strategy];
        const saved = process.env.LEM_TEST_COMPOSE;
        if (detected) delete process.env.LEM_TEST_COMPOSE; // the helper then names no compose command
        const r = await runCli(args, { cwd: c.dir, timeoutMs: 90_000, env: { LEM_TUI_TRACE: trace } }).finally(() => {
          if (saved !== undefined) process.env.LEM_TEST_COMPOSE = saved;
        });
        expect(r.exitCode, r.stderr).toBe(0);
        expect(await projectLeftovers(c.project)).toEqual([]);

        const calls = traceOf(trace);
        const firstExperiment = Math.min(...calls.filter((x) => x.argv.includes('experiment')).map((x) => x.start));
        const before = count(calls.filter((x) => x.start < firstExperiment));
        const compose = detected ? 'docker compose' : COMPOSE_COMMAND;
        const expected: Record<string, number> = {
          'engine version': 1,
          'compose config': 1,
          'image inspect': 1,
          ps: 1, // the leftover sweep's, also the watcher's first look
        };
        // `docker compose` answers its version once (detection, or the named check, and the
        // plugin check share it); another named command is proven by `config` alone.
        if (compose === 'docker compose') expected['docker compose version'] = 1;
        // v2: the plugin binary proves itself with its own version answer, once.
        const plugin = calls.find((x) => x.argv[0]!.endsWith('/docker-compose') && x.argv[1] === 'version');
        if (plugin) expected[`${plugin.argv[0]} version`] = 1;
        if (before['nvidia-smi']) expected['nvidia-smi'] = 1; // GPU telemetry's probe, where it is on
        if (strategy === 'persistent') expected['compose up'] = 1;
        const tops = before.top ?? 0;
        delete before.top; // persistent readiness: at most one look per service while it starts
        expect(before).toEqual(expected);
        expect(tops).toBeLessThanOrEqual(strategy === 'persistent' ? 4 : 0);
        if (v2) expect(plugin, 'compose v2 runs its plugin binary directly').toBeDefined();

        const down = calls.find((x) => question(x.argv) === 'compose down')!;
        const after = count(calls.filter((x) => x.start >= down.end));
        expect(after.network ?? 0, 'no network check after a clean down').toBe(0);
        expect(after.ps).toBeGreaterThanOrEqual(1);
      }, 120_000);
    }
  }

  it.runIf(v2)('a dry run on detected v2: each version once, and `config` (the mounts) through the proven plugin binary', async () => {
    const c = makeCampaign('basic.yaml', 'calls-dry');
    const trace = path.join(c.dir, 'trace.jsonl');
    const saved = process.env.LEM_TEST_COMPOSE;
    delete process.env.LEM_TEST_COMPOSE;
    const r = await runCli([c.file, '--dry-run', '--dispatch', 'docker'], { cwd: c.dir, env: { LEM_TUI_TRACE: trace } }).finally(() => {
      if (saved !== undefined) process.env.LEM_TEST_COMPOSE = saved;
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('docker compose -p'); // what a person reads still says docker compose
    const calls = traceOf(trace);
    const plugin = calls.find((x) => x.argv[0]!.endsWith('/docker-compose') && x.argv[1] === 'version');
    expect(plugin, 'the plugin binary proves itself').toBeDefined();
    expect(count(calls)).toEqual({ 'docker compose version': 1, [`${plugin!.argv[0]} version`]: 1, 'compose config': 1 });
    expect(calls.find((x) => question(x.argv) === 'compose config')!.argv[0]).toBe(plugin!.argv[0]);
  }, 60_000);
});

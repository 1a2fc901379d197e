// Shared set-up for the tests that drive the built CLI (dist/cli.js) as a
// real process: campaigns copied from fixtures/campaigns into a temp dir with
// a unique campaign_name (so manifests, results and the compose project
// `lem-<id>-<folder>` are the test's own; the CLI runs in that dir), the CLI spawned with execa, its NDJSON
// events read line by line, and the files it leaves read back.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterEach, expect } from 'vitest';
import { parseDocument } from 'yaml';
import { capture } from '../../source/io/process/process.js';
import { composeProjectName } from '../../source/compose/projectName.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');
export const LEM = path.join(ROOT, 'fixtures/harness/lem');
export const CAMPAIGNS = path.join(ROOT, 'fixtures/campaigns');
const LABEL = 'com.docker.compose.project';

if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests`);

export interface Campaign {
  dir: string;
  /** The campaign file (absolute). */
  file: string;
  name: string;
  id: string;
  project: string;
  manifestPath: string;
  resultsDir: string;
}

let counter = 0;
const tempDirs: string[] = [];

export function campaignIdOf(name: string): string {
  return createHash('md5').update(name, 'utf8').digest('hex').slice(0, 8); // llenergymeasure's campaign_id
}

/**
 * Copies fixtures/campaigns into a fresh temp dir and gives `fileName` a
 * unique campaign_name. `edit` sets fields (dotted paths) in the campaign
 * YAML; without it the file keeps its exact bytes apart from the name.
 */
export function makeCampaign(fileName: string, tag: string, edit: Record<string, unknown> = {}): Campaign {
  counter += 1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lem-cli-${tag}-`));
  tempDirs.push(dir);
  fs.cpSync(CAMPAIGNS, dir, {
    recursive: true,
    // Runs of the fixtures by hand leave these: never copy them.
    filter: (src) => !path.relative(CAMPAIGNS, src).split(path.sep).some((part) => ['results', '.state', 'configs_runtime'].includes(part)),
  });
  const name = `t-${tag}-${process.pid}-${counter}-${Math.random().toString(16).slice(2, 8)}`;
  const file = path.join(dir, fileName);
  let text = fs.readFileSync(file, 'utf8').replace(/^campaign_name: .*$/m, `campaign_name: ${name}`);
  if (Object.keys(edit).length > 0) {
    const doc = parseDocument(text);
    for (const [key, value] of Object.entries(edit)) doc.setIn(key.split('.'), value);
    text = doc.toString();
  }
  fs.writeFileSync(file, text);
  return campaignIn(dir, file, name);
}

/** The test's view of a campaign run from `dir` (its state folder is `dir/.state`, its results `dir/results`). */
export function campaignIn(dir: string, file: string, name: string): Campaign {
  const id = campaignIdOf(name);
  return {
    dir,
    file,
    name,
    id,
    project: composeProjectName(id, path.join(dir, '.state')),
    manifestPath: path.join(dir, '.state', 'campaign_manifest.json'),
    resultsDir: path.join(dir, 'results'),
  };
}

/** Removes the temp dirs made so far (call in afterAll). */
export function removeCampaignDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  // Not a terminal anyway (pipes); CI unset so that nothing depends on it; no colour.
  return { CI: undefined, NO_COLOR: '1', FORCE_COLOR: undefined, HF_TOKEN: undefined, ...extra };
}

/**
 * The compose flavour under test (scripts/test-integration.sh runs the suite
 * once per flavour): every CLI run drives the command LEM_TEST_COMPOSE names,
 * unless the test names one itself.
 */
function withComposeUnderTest(args: string[]): string[] {
  const command = process.env.LEM_TEST_COMPOSE;
  return command && !args.includes('--compose-command') ? [...args, '--compose-command', command] : args;
}

/** Runs the CLI to the end; never throws for a non-zero exit. */
export async function runCli(args: string[], options: CliOptions = {}) {
  const r = await execa('node', [CLI, ...withComposeUnderTest(args)], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, signal: r.signal, timedOut: r.timedOut };
}

export interface NdjsonEvent {
  v: number;
  type: string;
  at: string;
  [key: string]: unknown;
}

/** A running CLI with --json whose events can be awaited as they come. */
export interface LiveCli {
  proc: ResultPromise;
  pid: number;
  events: NdjsonEvent[];
  /** Resolves with the first event (past or future) that matches; rejects after timeoutMs. */
  waitFor(match: (e: NdjsonEvent) => boolean, timeoutMs?: number): Promise<NdjsonEvent>;
  /** Resolves when the process ended. */
  done: Promise<{ exitCode: number | undefined; signal: string | undefined; stdout: string; stderr: string; endedAt: number }>;
}

export function startCli(args: string[], options: CliOptions = {}): LiveCli {
  const proc = execa('node', [CLI, ...withComposeUnderTest(args)], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
  });
  const events: NdjsonEvent[] = [];
  const waiters: { match: (e: NdjsonEvent) => boolean; resolve: (e: NdjsonEvent) => void }[] = [];
  let buffered = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let event: NdjsonEvent;
      try {
        event = JSON.parse(line) as NdjsonEvent;
      } catch {
        continue; // checked by parseNdjson on the full output
      }
      events.push(event);
      for (const w of waiters.slice()) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    }
  });
  const done = proc.then((r) => ({
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    endedAt: Date.now(),
  }));
  return {
    proc,
    pid: proc.pid!,
    events,
    done,
    waitFor(match, timeoutMs = 30_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got: ${events.map((e) => e.type).join(', ')}`)), timeoutMs);
        const waiter = {
          match,
          resolve: (e: NdjsonEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        waiters.push(waiter);
        void done.then(() => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`the CLI ended before a matching event; got: ${events.map((e) => e.type).join(', ')}`));
        });
      });
    },
  };
}

/** Every stdout line must be a JSON object with v, type and at; returns them. */
export function parseNdjson(stdout: string): NdjsonEvent[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((line, i) => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw new Error(`stdout line ${i + 1} is not JSON (${(error as Error).message}): ${line.slice(0, 200)}`);
    }
    expect(event, `line ${i + 1}`).toMatchObject({ v: 1, type: expect.any(String), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    return event as NdjsonEvent;
  });
}

export interface ManifestEntry {
  exp_id: string;
  config_name: string;
  cycle_index: number;
  status: string;
  result_path: string | null;
  error: string | null;
  retry_count: number;
  started_at: string | null;
  completed_at: string | null;
}
export interface Manifest {
  campaign_id: string;
  campaign_name: string;
  total_experiments: number;
  compose_project?: string;
  experiments: ManifestEntry[];
}

export function readManifest(campaign: Campaign): Manifest {
  return JSON.parse(fs.readFileSync(campaign.manifestPath, 'utf8')) as Manifest;
}

export interface AggregatedResult {
  file: string;
  experiment_id: string;
  total_energy_j: number;
  total_tokens: number;
  avg_tokens_per_second: number;
  effective_config: { config_name: string; _metadata?: { experiment_id?: string; campaign_id?: string; cycle_id?: number } };
}

/** The aggregated result files, grouped by the campaign's experiment id (effective_config._metadata.experiment_id). */
export function resultsByExperiment(campaign: Campaign): Map<string, AggregatedResult[]> {
  const dir = path.join(campaign.resultsDir, 'aggregated');
  const byId = new Map<string, AggregatedResult[]>();
  if (!fs.existsSync(dir)) return byId;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<AggregatedResult, 'file'>;
    const id = data.effective_config?._metadata?.experiment_id ?? '(none)';
    expect(data.effective_config?._metadata?.campaign_id, `${file} belongs to this campaign`).toBe(campaign.id);
    byId.set(id, [...(byId.get(id) ?? []), { ...data, file }]);
  }
  return byId;
}

/** Every file and folder under `dir` (relative), with sizes and mtimes: a snapshot to compare. */
export function snapshotTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const st = fs.lstatSync(full);
      out.push(`${path.relative(dir, full)}${entry.isDirectory() ? '/' : ` ${st.size} ${st.mtimeMs}`}`);
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** Whether a Docker engine answers (no requirement: for the optional checks of the CLI tests). */
export async function engineAnswers(): Promise<boolean> {
  const r = await capture(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
  return r.exitCode === 0;
}

/** `docker ps -a` count of a project's containers (by label, or by name: `run --name lem-<id>-...`). */
export async function containerCount(project: string): Promise<number> {
  const r = await capture(['docker', 'ps', '-aq', '--filter', `name=${project}`], { timeoutMs: 15_000 });
  const byLabel = await capture(['docker', 'ps', '-aq', '--filter', `label=${LABEL}=${project}`], { timeoutMs: 15_000 });
  return new Set([...r.stdout.split('\n'), ...byLabel.stdout.split('\n')].filter(Boolean)).size;
}

/** `docker ps -a` count of every container on the engine. */
export async function allContainerCount(): Promise<number> {
  const r = await capture(['docker', 'ps', '-aq'], { timeoutMs: 15_000 });
  return r.stdout.split('\n').filter(Boolean).length;
}

/** Containers (and networks) of a compose project, by label. */
export async function projectLeftovers(project: string): Promise<string[]> {
  const filter = `label=${LABEL}=${project}`;
  const ps = await capture(['docker', 'ps', '-a', '--filter', filter, '--format', '{{.Names}} ({{.Status}})'], { timeoutMs: 15_000 });
  const nets = await capture(['docker', 'network', 'ls', '--filter', filter, '--format', 'network {{.Name}}'], { timeoutMs: 15_000 });
  return [ps.stdout, nets.stdout].flatMap((s) => s.split('\n')).filter(Boolean);
}

export async function projectContainerIds(project: string, service?: string): Promise<string[]> {
  const args = ['docker', 'ps', '-q', '--filter', `label=${LABEL}=${project}`];
  if (service) args.push('--filter', `label=com.docker.compose.service=${service}`);
  const r = await capture(args, { timeoutMs: 15_000 });
  return r.stdout.split('\n').filter(Boolean);
}

async function forceClean(project: string): Promise<void> {
  const filter = `label=${LABEL}=${project}`;
  const ids = (await capture(['docker', 'ps', '-aq', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (ids.length) await capture(['docker', 'rm', '-f', ...ids]);
  const nets = (await capture(['docker', 'network', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (nets.length) await capture(['docker', 'network', 'rm', ...nets]);
}

/**
 * For real-engine tests of the CLI, whose compose project is `lem-<campaign id>-<folder>`:
 * after EVERY test, nothing of the projects it registered may remain (then
 * everything of them is force-removed). Use with useDockerSuite() (image build).
 */
export function useCampaignProjects(): { track(campaign: Campaign): Campaign } {
  let projects: string[] = [];
  afterEach(async () => {
    const checked = projects;
    projects = [];
    const left: string[] = [];
    for (const p of checked) {
      const l = await projectLeftovers(p);
      if (l.length) left.push(`${p}: ${l.join(', ')}`);
      await forceClean(p);
    }
    expect(left, 'resources left behind by the test').toEqual([]);
  });
  return {
    track(campaign) {
      projects.push(campaign.project);
      return campaign;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes whose command line contains `needle` (e.g. a temp dir): a harness left running is a leak. */
export async function processesMentioning(needle: string): Promise<string[]> {
  const r = await capture(['ps', '-eo', 'pid,args'], { timeoutMs: 10_000 });
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

/**
 * The campaign finished with every planned experiment completed EXACTLY once:
 * the manifest is valid JSON, every entry completed, its result_path a real
 * file of that experiment, and the aggregated results hold one file per
 * campaign experiment id (counted by effective_config._metadata.experiment_id).
 * Returns the results by experiment id.
 */
export function expectCompletedOnce(campaign: Campaign, total: number): Map<string, AggregatedResult> {
  const manifest = readManifest(campaign);
  expect(manifest.campaign_id).toBe(campaign.id);
  expect(manifest.experiments).toHaveLength(total);
  expect(manifest.experiments.map((e) => [e.exp_id, e.status])).toEqual(manifest.experiments.map((e) => [e.exp_id, 'completed']));
  const results = resultsByExperiment(campaign);
  expect([...results.keys()].sort()).toEqual(manifest.experiments.map((e) => e.exp_id).sort());
  const once = new Map<string, AggregatedResult>();
  for (const entry of manifest.experiments) {
    const files = results.get(entry.exp_id)!;
    expect(files.map((f) => f.file), `results of ${entry.exp_id}`).toHaveLength(1);
    const result = files[0]!;
    expect(entry.result_path, `result_path of ${entry.exp_id}`).toBe(result.file);
    expect(fs.existsSync(entry.result_path!)).toBe(true);
    expect(result.effective_config.config_name).toBe(entry.config_name);
    expect(result.effective_config._metadata?.cycle_id).toBe(entry.cycle_index + 1);
    once.set(entry.exp_id, result);
  }
  return once;
}

/** The metrics an experiment.finished event carries match the result file's numbers. */
export function expectMetricsMatch(event: NdjsonEvent, result: AggregatedResult): void {
  const metrics = event.metrics as Record<string, unknown>;
  expect(metrics).toMatchObject({
    resultPath: result.file,
    energyJ: result.total_energy_j,
    totalTokens: result.total_tokens,
    tokensPerSecond: result.avg_tokens_per_second,
  });
}

/** campaign.finished's summary (per config: n and mean energy) matches the result files. */
export function expectSummaryMatches(finished: NdjsonEvent, results: Map<string, AggregatedResult>): void {
  const byConfig = new Map<string, number[]>();
  for (const r of results.values()) byConfig.set(r.effective_config.config_name, [...(byConfig.get(r.effective_config.config_name) ?? []), r.total_energy_j]);
  const summary = finished.summary as { configName: string; n: number; failed: number; energyJ: { n: number; mean: number } | null }[];
  expect(summary.map((s) => s.configName).sort()).toEqual([...byConfig.keys()].sort());
  for (const s of summary) {
    const energies = byConfig.get(s.configName)!;
    expect(s.n, s.configName).toBe(energies.length);
    expect(s.energyJ?.n).toBe(energies.length);
    expect(s.energyJ?.mean).toBeCloseTo(energies.reduce((a, b) => a + b, 0) / energies.length, 6);
  }
}

/** Waits until an experiment's log (results/<expId>/logs/output.log) contains `text`: the harness is really running. */
export async function waitForLog(campaign: Campaign, expId: string, text: string, timeoutMs = 30_000): Promise<void> {
  const file = path.join(campaign.resultsDir, expId, 'logs', 'output.log');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text)) return;
    await sleep(50);
  }
  throw new Error(`${file} did not show "${text}" within ${timeoutMs} ms`);
}

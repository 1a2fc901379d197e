// A manifest that llenergymeasure itself wrote resumes through the built CLI
// (local dispatch, the stand-in harness): naive local timestamps with
// microseconds, the MD5 campaign id, per-entry config_hash from Python's
// json.dumps, grid entries all named <backend>-<model>, and every status.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest as readValidManifest } from '../../source/campaign/manifest.js';
import type { CliFlags } from '../../source/config/types.js';
import { prepareCampaign } from '../../source/prepareCampaign.js';
import { LEM, makeCampaign, parseNdjson, removeCampaignDirs, resultsByExperiment, runCli } from '../helpers/cli.js';

afterAll(() => removeCampaignDirs());

const MODEL = 'Qwen/Qwen2.5-0.5B';
const GRID = {
  configs: [],
  model: MODEL,
  grid: { backends: ['pytorch', 'vllm'], shared: { fp_precision: ['float16', 'bfloat16'], 'harness.duration_seconds': [0] } },
  'execution.cycles': 2,
};

/** llenergymeasure's per-entry hash, computed by python3 itself: md5(json.dumps(config, sort_keys=True))[:12]. */
function pythonHashes(configs: unknown[]): string[] {
  const script = 'import hashlib, json, sys\nfor line in sys.stdin:\n    print(hashlib.md5(json.dumps(json.loads(line), sort_keys=True).encode()).hexdigest()[:12])';
  const out = execFileSync('python3', ['-c', script], { input: configs.map((c) => `${JSON.stringify(c)}\n`).join(''), encoding: 'utf8' });
  return out.trim().split('\n');
}

describe("resuming a manifest that llenergymeasure wrote (local dispatch)", () => {
  it('completed entries are not rerun, interrupted ones are, a real failure stays; results stay keyed right; the manifest stays valid', async () => {
    const c = makeCampaign('basic.yaml', 'llem-manifest', GRID);
    const flags: CliFlags = { yes: false, dryRun: false, validateOnly: false, tui: false, json: false };
    const { plan } = await prepareCampaign(c.file, flags, c.dir, process.env);
    const [pFp16, pBf16, vFp16, vBf16] = plan.configs.map((config) => config.name);
    expect([pFp16, pBf16, vFp16, vBf16]).toEqual([
      'pytorch_fp_precision-float16',
      'pytorch_fp_precision-bfloat16',
      'vllm_fp_precision-float16',
      'vllm_fp_precision-bfloat16',
    ]);
    const hashes = pythonHashes(plan.configs.map((config) => config.config));
    const hash = Object.fromEntries(plan.configs.map((config, i) => [config.name, hashes[i]!]));
    // Cycle 2's hashes are of a config we do not have (llenergymeasure hashes its pydantic dump): those link by position.
    const unknownHash = (name: string) => pythonHashes([{ ...plan.configs.find((x) => x.name === name)!.config, config_name: name }])[0]!;

    // llenergymeasure's result of a completed experiment: named after its own id, with the campaign's in _metadata.
    const energy: Record<string, [number, number]> = { '0031': [101, 1], '0033': [303, 1], '0035': [505, 2] }; // joules, cycle
    fs.mkdirSync(path.join(c.resultsDir, 'aggregated'), { recursive: true });
    for (const [expId, [joules, cycle]] of Object.entries(energy)) {
      fs.writeFileSync(
        path.join(c.resultsDir, 'aggregated', `exp_2026_${expId}.json`),
        JSON.stringify({
          schema_version: '3.0.0',
          experiment_id: `exp_2026_${expId}`,
          total_tokens: 1000,
          total_energy_j: joules,
          total_inference_time_sec: 10,
          avg_tokens_per_second: 100,
          avg_energy_per_token_j: joules / 1000,
          total_flops: 0,
          effective_config: { config_name: `llem-${expId}`, _metadata: { experiment_id: expId, campaign_id: c.id, cycle_id: cycle } },
        }),
      );
    }
    const t = (s: string) => `2026-11-28T${s}`; // naive local time with microseconds, as Python's isoformat() writes it
    const entry = (exp_id: string, backend: string, cycle_index: number, status: string, config_hash: string, extra: Record<string, unknown> = {}) => ({
      exp_id,
      config_name: `${backend}-${MODEL}`,
      config_path: `<grid:${backend}-${MODEL}>`,
      config_hash,
      backend,
      container: backend,
      cycle_index,
      status,
      result_path: null,
      started_at: null,
      completed_at: null,
      error: null,
      retry_count: 0,
      ...extra,
    });
    const completed = (expId: string, start: string) => ({
      result_path: `results/aggregated/exp_2026_${expId}.json`,
      started_at: t(start),
      completed_at: t(start.replace(/^10/, '11')),
    });
    const theirs = {
      campaign_id: c.id, // md5 of the name
      campaign_name: c.name,
      created_at: t('10:00:00.123456'),
      updated_at: t('10:42:17.654321'),
      config_hash: '5d41402abc4b', // md5 of its pydantic JSON of the campaign: not comparable with ours
      total_experiments: 8,
      experiments: [
        // Cycle 1, in an order of its own: only the config_hash tells pytorch's two apart.
        entry('0031', 'pytorch', 0, 'completed', hash[pBf16]!, completed('0031', '10:00:01.000001')),
        entry('0032', 'pytorch', 0, 'failed', hash[pFp16]!, { started_at: t('10:05:00.500000'), completed_at: t('10:06:00.000001'), error: 'Interrupted by user' }),
        entry('0033', 'vllm', 0, 'completed', hash[vFp16]!, completed('0033', '10:10:00.250000')),
        entry('0034', 'vllm', 0, 'failed', hash[vBf16]!, { started_at: t('10:20:00.000001'), completed_at: t('10:21:00.999999'), error: 'Experiment failed with exit code 3' }),
        // Cycle 2: hashes of no config of ours, so by position in the grid's expansion.
        entry('0035', 'pytorch', 1, 'completed', unknownHash(pFp16!), completed('0035', '10:30:00.000100')),
        entry('0036', 'pytorch', 1, 'running', unknownHash(pBf16!), { started_at: t('10:40:00.000200') }),
        entry('0037', 'vllm', 1, 'pending', unknownHash(vFp16!)),
        entry('0038', 'vllm', 1, 'pending', unknownHash(vBf16!)),
      ],
    };
    fs.mkdirSync(path.dirname(c.manifestPath), { recursive: true });
    fs.writeFileSync(c.manifestPath, JSON.stringify(theirs, null, 2));

    // --resume alone: no --yes, no terminal, no question.
    const r = await runCli([c.file, '--dispatch', 'local', '--lem-command', LEM, '--json', '--resume'], { cwd: c.dir });
    expect(r.exitCode, r.stderr).toBe(1); // 0034's real failure stays failed
    const events = parseNdjson(r.stdout);
    const started = events.filter((e) => e.type === 'experiment.started').map((e) => [e.expId, e.configName]);
    expect(started).toEqual([
      ['0032', pFp16],
      ['0036', pBf16],
      ['0037', vFp16],
      ['0038', vBf16],
    ]);
    const notices = events.filter((e) => e.type === 'notice').map((e) => e.message as string);
    expect(notices).toEqual(
      expect.arrayContaining([
        'resuming: 3 completed, 4 to run',
        '2 interrupted experiments run again',
        '1 failed experiments are not run again (--yes runs them)',
        expect.stringMatching(/^4 grid experiments were linked by position to entries named <backend>-<model>: llenergymeasure names/),
      ]),
    );
    expect(events.at(-1)).toMatchObject({ type: 'campaign.finished', exitCode: 1, completed: 7, failed: 1, total: 8 });

    // Valid (our reader, strictly), every entry kept under its id and its llenergymeasure name, now zoned.
    const manifest = (await readValidManifest(c.manifestPath))!;
    expect(manifest.campaign_id).toBe(c.id);
    const byId = [...manifest.experiments].sort((a, b) => a.exp_id.localeCompare(b.exp_id)); // rewritten in plan order
    expect(byId.map((e) => [e.exp_id, e.config_name, e.cycle_index, e.status])).toEqual(
      theirs.experiments.map((e) => [e.exp_id, e.config_name, e.cycle_index, e.exp_id === '0034' ? 'failed' : 'completed']),
    );
    expect(manifest.experiments.find((e) => e.exp_id === '0034')!.error).toBe('Experiment failed with exit code 3');
    const raw = JSON.parse(fs.readFileSync(c.manifestPath, 'utf8')) as { created_at: string; experiments: { started_at: string | null }[] };
    expect(raw.created_at).toBe(new Date(2026, 10, 28, 10, 0, 0, 123).toISOString());
    // The completed entries kept their results; the new ones point at results of that id, of the config linked.
    for (const id of ['0031', '0033', '0035']) {
      expect(manifest.experiments.find((e) => e.exp_id === id)!.result_path).toBe(`results/aggregated/exp_2026_${id}.json`);
    }
    const results = resultsByExperiment(c);
    const ran = { '0032': ['pytorch', 'float16'], '0036': ['pytorch', 'bfloat16'], '0037': ['vllm', 'float16'], '0038': ['vllm', 'bfloat16'] };
    for (const [id, [backend, precision]] of Object.entries(ran)) {
      const files = results.get(id)!;
      expect(files, id).toHaveLength(1);
      expect(manifest.experiments.find((e) => e.exp_id === id)!.result_path).toBe(files[0]!.file);
      expect(files[0]!.effective_config).toMatchObject({ backend, fp_precision: precision });
    }
    expect([...results.keys()].sort()).toEqual(['0031', '0032', '0033', '0035', '0036', '0037', '0038']);

    // The summary counts each result under the config it belongs to.
    const summary = events.at(-1)!.summary as { configName: string; n: number; failed: number; energyJ: { n: number } | null }[];
    const row = (name: string) => summary.find((s) => s.configName === name)!;
    expect([pFp16, pBf16, vFp16, vBf16].map((name) => [name, row(name!).n, row(name!).failed])).toEqual([
      [pFp16, 2, 0], // 0032 (ran now) and 0035 (by position)
      [pBf16, 2, 0], // 0031 (by hash) and 0036 (ran now)
      [vFp16, 2, 0], // 0033 and 0037
      [vBf16, 1, 1], // 0034 failed, 0038 ran now
    ]);
    expect(row(pBf16!).energyJ?.n).toBe(2);
  }, 60_000); // four real experiments and a resume: ~15 s on a quiet machine, more on a busy one
});

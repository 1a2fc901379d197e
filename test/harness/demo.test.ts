// fixtures/demo: the campaign plans cleanly, its io dirs are the dirs the
// compose file mounts, and every demo config runs through the harness.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { writeExperimentConfig } from '../../source/campaign/experimentConfigFile.js';
import { readMetrics, ResultFinder } from '../../source/campaign/results.js';
import { loadCampaign } from '../../source/config/loadCampaign.js';
import { defaultUserConfig } from '../../source/config/loadUserConfig.js';
import { resolveSettings } from '../../source/config/settings.js';
import { planCampaign } from '../../source/plan/planCampaign.js';
import { validatePlan } from '../../source/plan/validate.js';
import { ROOT, runLem, SHELLS } from './runLem.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();

const DEMO = path.join(ROOT, 'fixtures/demo');

async function demo() {
  const loaded = await loadCampaign('campaign.yaml', { cwd: DEMO });
  const settings = resolveSettings({
    flags: { yes: false, dryRun: false, validateOnly: false, tui: true, json: false },
    campaign: loaded.campaign,
    campaignPath: 'campaign.yaml',
    userConfig: defaultUserConfig(),
    cwd: DEMO,
    env: {},
    fileExists: fs.existsSync,
  });
  const plan = planCampaign(loaded.campaign, loaded.configFiles, settings);
  return { loaded, settings, plan };
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-demo-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('fixtures/demo', () => {
  it('plans 3 configs × 2 cycles on pytorch and vllm, with short gaps and no warnings or problems', async () => {
    const { loaded, settings, plan } = await demo();
    expect(loaded.warnings).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(validatePlan(plan)).toEqual([]);
    expect(plan.campaignName).toBe('demo-backend-comparison');
    expect(plan.experiments.map((e) => `${e.config.name}@${e.cycleIndex}`)).toEqual([
      'pytorch_fp16@0',
      'pytorch_bf16_batch8@0',
      'vllm_fp16@0',
      'pytorch_fp16@1',
      'pytorch_bf16_batch8@1',
      'vllm_fp16@1',
    ]);
    expect(plan.services).toEqual(['pytorch', 'vllm']);
    expect(settings).toMatchObject({
      configGapSeconds: 1,
      cycleGapSeconds: 2,
      lemCommand: ['lem'],
      composeFiles: [path.join(DEMO, 'docker-compose.yml')],
      resultsDir: path.join(DEMO, 'results'),
      configsDir: path.join(DEMO, 'configs_runtime'),
      stateDir: path.join(DEMO, '.state'),
    });
    for (const config of plan.configs) {
      expect(config.config).toMatchObject({ model_name: 'Qwen/Qwen2.5-0.5B', harness: { duration_seconds: 2 } });
    }
  });

  it("the compose file mounts the campaign's configs and results dirs where the harness looks, one service per backend", async () => {
    const { settings, plan } = await demo();
    const compose = parse(fs.readFileSync(settings.composeFiles[0]!, 'utf8'), { merge: true }) as {
      services: Record<string, { image: string; network_mode: string; init: boolean; user: string; volumes: string[] }>;
    };
    expect(Object.keys(compose.services)).toEqual(plan.services);
    for (const service of Object.values(compose.services)) {
      expect(service).toMatchObject({ image: 'lem-tui-demo:latest', network_mode: 'none', init: true, user: '${PUID:?set PUID}:${PGID:?set PGID}' });
      const mounts = Object.fromEntries(
        service.volumes.map((volume) => {
          const [source, target] = volume.split(':');
          return [target, path.resolve(path.dirname(settings.composeFiles[0]!), source!)];
        }),
      );
      expect(mounts).toEqual({ '/app/configs': settings.configsDir, '/app/results': settings.resultsDir });
    }
    // Kept in the repository so that Docker does not create them as root.
    expect(fs.existsSync(path.join(settings.configsDir, '.gitkeep'))).toBe(true);
    expect(fs.existsSync(path.join(settings.resultsDir, '.gitkeep'))).toBe(true);
  });

  it('docker-compose accepts the file, and requires PUID and PGID', async () => {
    const compose = process.env.LEM_TEST_COMPOSE ?? 'docker-compose';
    const [command, ...base] = compose.split(' ');
    try {
      execFileSync(command!, [...base, 'version'], { stdio: 'ignore' });
    } catch {
      if (process.env.CI === 'true') throw new Error(`${compose} is missing in CI`);
      console.warn(`skipping the compose check: ${compose} is not installed`);
      return;
    }
    const file = path.join(DEMO, 'docker-compose.yml');
    const env = { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST };
    const ok = execFileSync(command!, [...base, '-f', file, 'config'], { env: { ...env, PUID: '1000', PGID: '1000' }, encoding: 'utf8' });
    expect(ok).toContain('user: 1000:1000');
    expect(() => execFileSync(command!, [...base, '-f', file, 'config'], { env, stdio: 'pipe' })).toThrow(/set PUID/);
  });

  it.each(SHELLS)('every demo config runs through the harness under $name and gives a plausible result', async (shell) => {
    const { plan } = await demo();
    const configsDir = path.join(scratch, shell.name.replace(' ', '-'), 'configs');
    const resultsDir = path.join(scratch, shell.name.replace(' ', '-'), 'results');
    const tps: Record<string, number> = {};
    for (const experiment of plan.experiments.filter((e) => e.cycleIndex === 0)) {
      // Same config, no waiting: the demo's 2 s are for people, not tests.
      const fast = { ...experiment, config: { ...experiment.config, config: { ...experiment.config.config, harness: { duration_seconds: 0 } } } };
      const file = await writeExperimentConfig(configsDir, fast, { name: plan.campaignName, id: plan.campaignId });
      const since = Date.now() - 1000;
      const run = await runLem(shell, ['experiment', file, '--yes', '--fresh', '--results-dir', resultsDir], {
        cwd: scratch,
        env: { LEM_CAMPAIGN_ID: plan.campaignId, LEM_CAMPAIGN_NAME: plan.campaignName, LEM_CYCLE: '1', LEM_TOTAL_CYCLES: '2' },
      });
      expect(run.code, run.stderr.join('\n')).toBe(0);
      const metrics = await readMetrics((await new ResultFinder(resultsDir).find(experiment.expId, { since }))!);
      expect(metrics).toMatchObject({ totalTokens: 100 * 128, energyTrackingFailed: false, gpuName: expect.stringContaining('synthetic') });
      expect(metrics!.energyJ).toBeGreaterThan(0);
      tps[experiment.config.name] = metrics!.tokensPerSecond!;
    }
    expect(tps.pytorch_bf16_batch8).toBeGreaterThan(tps.pytorch_fp16!);
    expect(tps.vllm_fp16).toBeGreaterThan(tps.pytorch_bf16_batch8!);
  });
});

import fs from 'node:fs';
// The sample files in fixtures/config: the published-format example loads
// cleanly, and the broken campaign shows every message a user would see.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../source/config/errors.js';
import { loadCampaign } from '../../source/config/loadCampaign.js';
import { loadUserConfig } from '../../source/config/loadUserConfig.js';
import { resolveSettings } from '../../source/config/settings.js';
import { issuesOf } from './helpers.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/config');

describe('fixtures/config', () => {
  it('example/: the published format loads without errors or warnings', async () => {
    const cwd = path.join(fixtures, 'example');
    const loaded = await loadCampaign('campaign.yaml', { cwd });
    const user = await loadUserConfig(cwd);
    expect(loaded.warnings).toEqual([]);
    expect(user.warnings).toEqual([]);
    expect(loaded.campaign.grid?.shared).toEqual({ fp_precision: ['float16', 'bfloat16'] });
    expect(loaded.configFiles.map((f) => [f.ref, f.backend, f.configName, f.resolvedFrom])).toEqual([
      ['configs/pytorch_base.yaml', 'pytorch', 'pytorch-comprehensive', 'campaign-dir'],
      ['configs/vllm_base.yaml', 'vllm', 'vllm_base', 'campaign-dir'],
    ]);
    const settings = resolveSettings({
      flags: { yes: false, dryRun: false, validateOnly: false, tui: true, json: false },
      campaign: loaded.campaign,
      campaignPath: 'campaign.yaml',
      userConfig: user.config,
      cwd,
      env: {},
      fileExists: fs.existsSync,
    });
    expect(settings).toMatchObject({ cycles: 3, containerStrategy: 'ephemeral', containerStrategySource: 'user-config' });
  });

  it("llenergymeasure/: its repository's own .lem-config.yaml loads; the placeholder webhook is a warning", async () => {
    const cwd = path.join(fixtures, 'llenergymeasure');
    const user = await loadUserConfig(cwd);
    expect(user.warnings).toEqual([
      '.lem-config.yaml:10:16 notifications.webhook_url: not an http:// or https:// URL ("https:// test"): notifications are off',
    ]);
    expect(user.config).toStrictEqual({
      verbosity: 'verbose',
      thermal_gaps: { between_experiments: 5, between_cycles: 60 },
      docker: { strategy: 'ephemeral', warmup_delay: 0, auto_teardown: true },
      notifications: { webhook_url: null, on_complete: false, on_failure: false },
      results_dir: 'results',
      runner: {},
    });
    const campaign = await loadCampaign(path.join(fixtures, 'example', 'campaign.yaml'), { cwd });
    const settings = resolveSettings({
      flags: { yes: false, dryRun: false, validateOnly: false, tui: true, json: false },
      campaign: campaign.campaign,
      campaignPath: campaign.path,
      userConfig: user.config,
      cwd,
      env: {},
      fileExists: fs.existsSync,
    });
    expect(settings).toMatchObject({ verbosity: 'verbose', webhookUrl: null, notifyOnComplete: false, notifyOnFailure: false });
  });

  it('broken/: every problem at once, each at its place, with the warnings', async () => {
    const cwd = path.join(fixtures, 'broken');
    const error = await loadCampaign('campaign.yaml', { cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).warnings.map(formatIssue)).toEqual([
      'campaign.yaml:1:17 schema_version: written for schema version "4.0.0"; lem-tui reads 3.x, reading it anyway',
      'campaign.yaml:13:3 execution.cycle_gap: unknown key, ignored (did you mean cycle_gap_seconds?)',
    ]);
    expect(await issuesOf(loadCampaign('campaign.yaml', { cwd }))).toEqual([
      'campaign.yaml:7:23 grid.backends[1]: unknown backend "onnx": expected one of pytorch, vllm, tensorrt',
      'campaign.yaml:9:3 grid.axes: axes is an alias of shared: give one of them, not both',
      'campaign.yaml:9:24 grid.axes.fp_precision: expected a non-empty list of values, got "float16"',
      'campaign.yaml:11:11 execution.cycles: expected an integer from 1 to 20, got 0',
      'campaign.yaml:12:14 execution.structure: expected one of interleaved, shuffled, grouped, got "random"',
      'campaign.yaml:15:13 daemon.interval: expected a duration like 24h or 30m, got "1d"',
      'campaign.yaml:17:16 runner.max_retries: expected an integer from 0 to 10, got 11',
      'configs/onnx.yaml:2:10 backend: unknown backend "onnx": expected one of pytorch, vllm, tensorrt (referenced from campaign.yaml:4:5 configs[0])',
      'campaign.yaml:5:5 configs[1]: config file not found: configs/missing.yaml',
    ]);
  });
});

import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../../source/config/loadCampaign.js';
import { issuesOf, tempDir, writeFiles } from './helpers.js';

describe('loadCampaign: experiment config paths', () => {
  it('resolves against the campaign folder first, as llenergymeasure does', async () => {
    const cwd = await tempDir();
    await writeFiles(cwd, {
      'study/campaign.yaml': 'campaign_name: t\nconfigs: [configs/a.yaml]\n',
      'study/configs/a.yaml': 'config_name: next-to-campaign\n',
      'configs/a.yaml': 'config_name: in-cwd\n',
    });
    const { configFiles, displayPath } = await loadCampaign('study/campaign.yaml', { cwd });
    expect(displayPath).toBe(path.join('study', 'campaign.yaml'));
    expect(configFiles).toStrictEqual([
      {
        path: path.join(cwd, 'study/configs/a.yaml'),
        resolvedFrom: 'campaign-dir',
        ref: 'configs/a.yaml',
        data: { config_name: 'next-to-campaign' },
        backend: 'pytorch',
        configName: 'next-to-campaign',
      },
    ]);
  });

  it('falls back to the cwd when the file is not next to the campaign', async () => {
    const cwd = await tempDir();
    await writeFiles(cwd, {
      'study/campaign.yaml': 'campaign_name: t\nconfigs: [configs/a.yaml]\n',
      'configs/a.yaml': 'backend: vllm\n',
    });
    const { configFiles } = await loadCampaign('study/campaign.yaml', { cwd });
    expect(configFiles.map((f) => [f.path, f.resolvedFrom, f.backend, f.configName])).toEqual([
      [path.join(cwd, 'configs/a.yaml'), 'cwd', 'vllm', 'a'],
    ]);
  });

  it('takes absolute paths as they are', async () => {
    const cwd = await tempDir();
    const elsewhere = await tempDir();
    await writeFiles(elsewhere, { 'b.yml': 'backend: tensorrt\n' });
    const abs = path.join(elsewhere, 'b.yml');
    await writeFiles(cwd, { 'campaign.yaml': `campaign_name: t\nexperiments:\n  - config: ${abs}\n` });
    const { configFiles } = await loadCampaign('campaign.yaml', { cwd });
    expect(configFiles.map((f) => [f.path, f.resolvedFrom, f.backend, f.configName, f.ref])).toEqual([
      [abs, 'absolute', 'tensorrt', 'b', abs],
    ]);
  });

  it('loads each distinct file once, in order of first mention', async () => {
    const cwd = await tempDir();
    await writeFiles(cwd, {
      'campaign.yaml': 'campaign_name: t\nconfigs: [b.yaml, a.yaml, b.yaml]\nexperiments:\n  - config: a.yaml\n  - config: c.yaml\n',
      'a.yaml': 'x: 1\n',
      'b.yaml': 'x: 2\n',
      'c.yaml': 'x: 3\n',
    });
    const { configFiles } = await loadCampaign('campaign.yaml', { cwd });
    expect(configFiles.map((f) => f.ref)).toEqual(['b.yaml', 'a.yaml', 'c.yaml']);
  });

  it('a missing config is an error at its list item, naming where it looked', async () => {
    const cwd = await tempDir();
    await writeFiles(cwd, {
      'study/campaign.yaml': 'campaign_name: t\nconfigs:\n  - configs/a.yaml\n  - configs/nope.yaml\nexperiments:\n  - config: gone.yaml\n',
      'study/configs/a.yaml': 'x: 1\n',
    });
    expect(await issuesOf(loadCampaign('study/campaign.yaml', { cwd }))).toEqual([
      `study/campaign.yaml:4:5 configs[1]: config file not found: configs/nope.yaml (looked for study/configs/nope.yaml and configs/nope.yaml)`,
      `study/campaign.yaml:6:13 experiments[0].config: config file not found: gone.yaml (looked for study/gone.yaml and gone.yaml)`,
    ]);
  });
});

describe('loadCampaign: experiment config files', () => {
  async function withConfig(files: Record<string, string | Buffer>) {
    const cwd = await tempDir();
    await writeFiles(cwd, { 'campaign.yaml': 'campaign_name: t\nconfigs: [configs/a.yaml]\n', ...files });
    return loadCampaign('campaign.yaml', { cwd });
  }

  it('passes the data through; backend default pytorch; name from config_name, else the stem', async () => {
    const { configFiles } = await withConfig({
      'configs/a.yaml': 'schema_version: "3.0.0"\nmodel_name: gpt2\ngpus: [0]\npytorch: {batch_size: 8}\n',
    });
    expect(configFiles[0]).toMatchObject({
      backend: 'pytorch',
      configName: 'a',
      data: { schema_version: '3.0.0', model_name: 'gpt2', gpus: [0], pytorch: { batch_size: 8 } },
    });
  });

  it.each([
    ['backend: onnx\n', 'configs/a.yaml:1:10 backend: unknown backend "onnx": expected one of pytorch, vllm, tensorrt'],
    ['backend: 3\n', 'configs/a.yaml:1:10 backend: expected a backend (one of pytorch, vllm, tensorrt), got 3'],
    ['config_name: ""\n', 'configs/a.yaml:1:14 config_name: expected a non-empty string, got ""'],
    ['model_name: [gpt2]\n', 'configs/a.yaml:1:13 model_name: expected a non-empty string, got a list'],
    ['- a\n', 'configs/a.yaml:1:1: expected a mapping at the top level, got a list'],
    ['', 'configs/a.yaml: file is empty'],
    ['a: 1\na: 2\n', 'configs/a.yaml:2:1: duplicate key "a" (first at line 1)'],
    ['campaign_name: x\n', 'configs/a.yaml:1:1 campaign_name: this is a campaign file, expected an experiment config'],
    ['key: [unclosed\n', 'configs/a.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    [Buffer.from([0x00, 0xff, 0xfe]), 'configs/a.yaml:1:2: not UTF-8 text (byte 0xff): save the file as UTF-8'],
  ])('%j is refused in the experiment config itself, saying where the campaign names it', async (content, expected) => {
    expect(await issuesOf(withConfig({ 'configs/a.yaml': content }))).toEqual([
      `${expected} (referenced from campaign.yaml:2:11 configs[0])`,
    ]);
  });

  it('a folder named as a config: said so, with what to write instead and where it is named', async () => {
    const cwd = await tempDir();
    await writeFiles(cwd, {
      'study/campaign.yaml': 'campaign_name: t\nconfigs:\n  - configs/a.yaml\n  - configs\n',
      'study/configs/a.yaml': 'x: 1\n',
    });
    expect(await issuesOf(loadCampaign('study/campaign.yaml', { cwd }))).toEqual([
      'study/configs: is a folder, not an experiment config: list each config file in the campaign (referenced from study/campaign.yaml:4:5 configs[1])',
    ]);
  });

  it('a config named in experiments: the reference is experiments[i].config', async () => {
    const cwd = await tempDir();
    await writeFiles(cwd, {
      'campaign.yaml': 'campaign_name: t\nexperiments:\n  - config: a.yaml\n  - config: b.yaml\n    overrides: {x: 2}\n',
      'a.yaml': 'x: 1\n',
      'b.yaml': 'backend: onnx\n',
    });
    expect(await issuesOf(loadCampaign('campaign.yaml', { cwd }))).toEqual([
      'b.yaml:1:10 backend: unknown backend "onnx": expected one of pytorch, vllm, tensorrt (referenced from campaign.yaml:4:13 experiments[1].config)',
    ]);
  });

  it('a campaign outside the cwd is named by its absolute path in the reference', async () => {
    const cwd = await tempDir();
    const elsewhere = await tempDir();
    await writeFiles(elsewhere, { 'c.yaml': 'campaign_name: t\nconfigs: [a.yaml]\n', 'a.yaml': 'backend: onnx\n' });
    expect(await issuesOf(loadCampaign(path.join(elsewhere, 'c.yaml'), { cwd }))).toEqual([
      `${path.join(elsewhere, 'a.yaml')}:1:10 backend: unknown backend "onnx": expected one of pytorch, vllm, tensorrt (referenced from ${path.join(elsewhere, 'c.yaml')}:2:11 configs[0])`,
    ]);
  });

  it('reports the campaign file and every config file together', async () => {
    expect(
      await issuesOf(
        withConfig({
          'campaign.yaml': 'campaign_name: t\nconfigs: [configs/a.yaml, configs/b.yaml, configs/c.yaml]\nexecution: {cycles: 0}\n',
          'configs/a.yaml': 'backend: onnx\nconfig_name: 5\n',
          'configs/b.yaml': '\tx: 1\n',
        }),
      ),
    ).toEqual([
      'campaign.yaml:3:21 execution.cycles: expected an integer from 1 to 20, got 0',
      'configs/a.yaml:1:10 backend: unknown backend "onnx": expected one of pytorch, vllm, tensorrt (referenced from campaign.yaml:2:11 configs[0])',
      'configs/a.yaml:2:14 config_name: expected a non-empty string, got 5 (referenced from campaign.yaml:2:11 configs[0])',
      'configs/b.yaml:1:1: tab used for indentation: YAML indents with spaces (referenced from campaign.yaml:2:27 configs[1])',
      'campaign.yaml:2:43 configs[2]: config file not found: configs/c.yaml',
    ]);
  });
});

describe('loadCampaign: the campaign file itself', () => {
  it('returns the md5 of its bytes and its display path', async () => {
    const cwd = await tempDir();
    const text = 'campaign_name: t\ngrid: {backends: [pytorch]}\n';
    await writeFiles(cwd, { 'campaign.yaml': text });
    const loaded = await loadCampaign('campaign.yaml', { cwd });
    expect(loaded.fileHash).toBe(createHash('md5').update(text).digest('hex'));
    expect(loaded.fileHash).toMatch(/^[0-9a-f]{32}$/);
    expect(loaded.path).toBe(path.join(cwd, 'campaign.yaml'));
    expect(loaded.displayPath).toBe('campaign.yaml');
    expect(loaded.configFiles).toEqual([]);
  });

  it('shows a campaign outside the cwd by its absolute path', async () => {
    const cwd = await tempDir();
    const elsewhere = await tempDir();
    await writeFiles(elsewhere, { 'c.yaml': 'campaign_name: t\n' });
    const file = path.join(elsewhere, 'c.yaml');
    expect(await issuesOf(loadCampaign(file, { cwd }))).toEqual([
      `${file}:1:1: no experiments: give at least one of configs, experiments or grid`,
    ]);
  });

  it.each([
    ['missing', null, 'campaign.yaml: file not found'],
    ['empty', '', 'campaign.yaml: file is empty'],
    ['only comments', '# campaign_name: t\n', 'campaign.yaml: file has only comments, expected a mapping'],
    ['a list', '- campaign_name: t\n', 'campaign.yaml:1:1: expected a mapping at the top level, got a list'],
    ['two documents', 'campaign_name: t\n---\ncampaign_name: u\n', 'campaign.yaml:2:1: a second YAML document starts here: expected exactly one'],
    ['tabs', 'campaign_name: t\nexecution:\n\tcycles: 2\n', 'campaign.yaml:3:1: tab used for indentation: YAML indents with spaces'],
    ['duplicate keys', 'campaign_name: t\ncampaign_name: u\n', 'campaign.yaml:2:1: duplicate key "campaign_name" (first at line 1)'],
    ['not UTF-8', Buffer.from([0x63, 0x3a, 0x20, 0xc3, 0x28, 0x0a]), 'campaign.yaml:1:4: not UTF-8 text (byte 0xc3): save the file as UTF-8'],
    ['2 MB', 'campaign_name: t\n' + '#'.repeat(2_000_000), 'campaign.yaml: file is 1.9 MiB, over the 1 MiB limit'],
  ])('refuses a campaign file: %s', async (_, content, expected) => {
    const cwd = await tempDir();
    if (content !== null) await writeFiles(cwd, { 'campaign.yaml': content });
    expect(await issuesOf(loadCampaign('campaign.yaml', { cwd }))).toEqual([expected]);
  });

  it('refuses an alias bomb quickly', async () => {
    const cwd = await tempDir();
    const levels = Array.from({ length: 12 }, (_, i) =>
      i === 0 ? 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]' : `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`,
    );
    await writeFiles(cwd, { 'campaign.yaml': `campaign_name: t\nconfigs: [a.yaml]\n${levels.join('\n')}\n` });
    const started = Date.now();
    expect(await issuesOf(loadCampaign('campaign.yaml', { cwd }))).toEqual([
      'campaign.yaml:4:10: more than 100 alias expansions: refusing a possible alias bomb',
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

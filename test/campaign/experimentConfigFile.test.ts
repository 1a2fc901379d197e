import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeExperimentConfig, writeExperimentConfig } from '../../source/campaign/experimentConfigFile.js';
import type { PlannedExperiment } from '../../source/plan/types.js';
import { configSpec } from './planFixture.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-configs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function experiment(): PlannedExperiment {
  const config = configSpec('pytorch_fp16', 'pytorch', {
    schema_version: '3.0.0',
    fp_precision: 'float16',
    gpus: [0],
    dataset: { name: 'ai_energy_score', sample_size: 100 },
    pytorch: { batch_size: 8, attn_implementation: 'sdpa' },
    _metadata: { experiment_id: 'stale' },
    notes: `a long line ${'x'.repeat(200)}`,
  });
  return { expId: '0007', index: 6, cycleIndex: 1, config };
}

describe('writeExperimentConfig', () => {
  it('writes <configsDir>/_campaign_<expId>.yaml: the effective config plus _metadata', async () => {
    const configsDir = path.join(dir, 'configs_runtime'); // created when missing
    const file = await writeExperimentConfig(configsDir, experiment(), { name: 'demo', id: '3f2a9c1b' });
    expect(file).toBe(path.join(configsDir, '_campaign_0007.yaml'));
    const text = fs.readFileSync(file, 'utf8');
    expect(parse(text)).toEqual({
      config_name: 'pytorch_fp16',
      backend: 'pytorch',
      model_name: 'Qwen/Qwen2.5-0.5B',
      schema_version: '3.0.0',
      fp_precision: 'float16',
      gpus: [0],
      dataset: { name: 'ai_energy_score', sample_size: 100 },
      pytorch: { batch_size: 8, attn_implementation: 'sdpa' },
      notes: `a long line ${'x'.repeat(200)}`,
      _metadata: { experiment_id: '0007', campaign_name: 'demo', campaign_id: '3f2a9c1b', cycle_id: 2, config_name: 'pytorch_fp16' },
    });
    // The id stays a string ("0007", not 7), and no line is folded.
    expect(text).toMatch(/experiment_id: "0007"/);
    expect(text).toContain(`notes: a long line ${'x'.repeat(200)}\n`);
    expect(fs.readdirSync(configsDir)).toEqual(['_campaign_0007.yaml']);
  });
});

describe('writeExperimentConfig: user data never becomes YAML', () => {
  it.each([
    ['a newline with a key after it', 'nl\nharness: {fail: true}\n#'],
    ['a carriage return', 'cr\rharness: {fail: true}'],
    ['YAML syntax', '"x": [1] # {}'],
  ])('a campaign name with %s stays one string value, and no key is added', async (_, name) => {
    const file = await writeExperimentConfig(dir, experiment(), { name, id: '3f2a9c1b' });
    const written = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(written)).not.toContain('harness');
    expect((written._metadata as Record<string, unknown>).campaign_name).toBe(name);
  });
});

describe('removeExperimentConfig', () => {
  it('removes the file, and a file already gone is fine', async () => {
    const file = await writeExperimentConfig(dir, experiment(), { name: 'demo', id: '3f2a9c1b' });
    await removeExperimentConfig(file);
    expect(fs.existsSync(file)).toBe(false);
    await expect(removeExperimentConfig(file)).resolves.toBeUndefined();
  });

  it('other errors are reported', async () => {
    await expect(removeExperimentConfig(dir)).rejects.toThrow(); // a directory
  });
});

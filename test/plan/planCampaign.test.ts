import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignId, formatExpId } from '../../source/plan/campaignId.js';
import { planCampaign } from '../../source/plan/planCampaign.js';
import { campaign, configFile } from './fixtures.js';

const files = [
  configFile('a', { model_name: 'gpt2', backend: 'vllm' }),
  configFile('b', { model_name: 'gpt2', backend: 'pytorch' }),
];

describe('planCampaign', () => {
  it('expands, orders, allocates ids in execution order and lists services by first use', () => {
    const plan = planCampaign(
      campaign({
        campaign_name: 'backend-comparison',
        configs: ['configs/a.yaml', 'configs/b.yaml'],
        grid: { backends: ['tensorrt', 'vllm'], shared: {}, backend_overrides: {} },
      }),
      files,
      { cycles: 2, structure: 'grouped', seed: 3 },
    );
    expect(plan).toMatchObject({
      campaignId: campaignId('backend-comparison'),
      campaignName: 'backend-comparison',
      cycles: 2,
      structure: 'grouped',
      seed: 3,
      services: ['vllm', 'pytorch', 'tensorrt'],
      warnings: [],
    });
    expect(plan.configs.map((c) => c.name)).toEqual(['a', 'b', 'tensorrt', 'vllm']);
    expect(plan.experiments.map((e) => `${e.expId}:${e.config.name}@${e.cycleIndex}`)).toEqual([
      '0001:a@0',
      '0002:a@1',
      '0003:b@0',
      '0004:b@1',
      '0005:tensorrt@0',
      '0006:tensorrt@1',
      '0007:vllm@0',
      '0008:vllm@1',
    ]);
    // Experiments point at the plan's own ConfigSpec objects.
    expect(plan.experiments[2]!.config).toBe(plan.configs[1]);
  });

  it('passes expansion warnings on, and warns about an empty campaign', () => {
    const plan = planCampaign(
      campaign({ configs: ['configs/a.yaml', 'configs/a.yaml'] }),
      files,
      { cycles: 1, structure: 'interleaved', seed: 0 },
    );
    expect(plan.warnings).toHaveLength(1);
    const empty = planCampaign(
      campaign({ grid: { backends: ['pytorch'], shared: { n: [] }, backend_overrides: {} } }),
      [],
      { cycles: 3, structure: 'interleaved', seed: 0 },
    );
    expect(empty.experiments).toEqual([]);
    expect(empty.services).toEqual([]);
    expect(empty.warnings.at(-1)).toMatch(/no experiments/);
  });

  it('expIds are 1..N in execution order, for every structure (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('interleaved' as const, 'shuffled' as const, 'grouped' as const),
        fc.integer(),
        (n, cycles, structure, seed) => {
          const plan = planCampaign(
            campaign({ grid: { backends: ['pytorch'], shared: { n: Array.from({ length: n }, (_, i) => i) }, backend_overrides: {} } }),
            [],
            { cycles, structure, seed },
          );
          expect(plan.experiments).toHaveLength(n * cycles);
          expect(plan.experiments.map((e) => e.expId)).toEqual(
            Array.from({ length: n * cycles }, (_, i) => formatExpId(i + 1)),
          );
          expect(plan.experiments.every((e, i) => e.index === i)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('the same inputs give the same plan', () => {
    const input = campaign({
      grid: { backends: ['pytorch', 'vllm'], shared: { n: [1, 2, 3] }, backend_overrides: {} },
    });
    const options = { cycles: 4, structure: 'shuffled' as const, seed: 99 };
    expect(planCampaign(input, [], options)).toEqual(planCampaign(input, [], options));
  });

  it('scale: a ~10,000-experiment grid is planned completely and correctly', () => {
    // 3 backends; shared 4 × 4 × 4 × 3 = 192 combos; backend axes 3, 3, 3 → 576 configs per backend.
    const plan = planCampaign(
      campaign({
        model: 'gpt2',
        grid: {
          backends: ['pytorch', 'vllm', 'tensorrt'],
          shared: {
            fp_precision: ['float32', 'float16', 'bfloat16', 'float16'],
            max_input_tokens: [64, 128, 256, 512],
            max_output_tokens: [32, 64, 128, 256],
            'decoder.temperature': [0, 0.5, 1],
          },
          backend_overrides: {
            pytorch: { batch_size: [1, 2, 4] },
            vllm: { max_num_seqs: [64, 128, 256] },
            tensorrt: { max_batch_size: [1, 8, 16] },
          },
        },
      }),
      [],
      { cycles: 6, structure: 'shuffled', seed: 42 },
    );
    const configCount = 3 * 192 * 3;
    expect(plan.configs).toHaveLength(configCount);
    expect(plan.experiments).toHaveLength(configCount * 6);
    expect(plan.experiments.length).toBeGreaterThan(10_000);
    expect(new Set(plan.configs.map((c) => c.name)).size).toBe(configCount);
    // The repeated fp_precision value makes 1/4 of the names clash: renamed, each with a warning.
    expect(plan.warnings).toHaveLength(configCount / 4);
    expect(plan.services).toEqual(expect.arrayContaining(['pytorch', 'vllm', 'tensorrt']));
    expect(plan.experiments.at(-1)!.expId).toBe(String(configCount * 6));
    expect(plan.experiments[0]!.expId).toBe('0001');
    const perConfig = new Map<string, number>();
    for (const e of plan.experiments) perConfig.set(e.config.name, (perConfig.get(e.config.name) ?? 0) + 1);
    expect([...perConfig.values()].every((count) => count === 6)).toBe(true);
    expect(plan.configs.every((c) => /^[0-9a-f]{12}$/.test(c.configHash))).toBe(true);
  });
});

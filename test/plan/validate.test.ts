import { describe, expect, it } from 'vitest';
import { planCampaign } from '../../source/plan/planCampaign.js';
import { validatePlan } from '../../source/plan/validate.js';
import { campaign, configFile } from './fixtures.js';

function problemsOf(data: Record<string, unknown>, stem = 'pytorch_fp16'): string[] {
  const plan = planCampaign(campaign({ configs: [`configs/${stem}.yaml`] }), [configFile(stem, data)], {
    cycles: 1,
    structure: 'interleaved',
    seed: 0,
  });
  return validatePlan(plan);
}

const good = {
  model_name: 'gpt2',
  backend: 'pytorch',
  fp_precision: 'float16',
  gpus: [0, 1],
  pytorch: { batch_size: 8 },
};

describe('validatePlan', () => {
  it('accepts a good config, and one without the optional fields', () => {
    expect(problemsOf(good)).toEqual([]);
    expect(problemsOf({ model_name: 'gpt2' })).toEqual([]);
  });

  it('reports a wrong fp_precision, naming the config', () => {
    expect(problemsOf({ ...good, fp_precision: 'fp8' })).toEqual([
      'config "pytorch_fp16": fp_precision: expected one of float32, float16, bfloat16, got "fp8"',
    ]);
  });

  it('reports a missing or empty model_name', () => {
    expect(problemsOf({ ...good, model_name: undefined })).toEqual([
      expect.stringMatching(/^config "pytorch_fp16": model_name: missing/),
    ]);
    expect(problemsOf({ ...good, model_name: '  ' })).toEqual([
      'config "pytorch_fp16": model_name: expected a non-empty string, got "  "',
    ]);
  });

  it('accepts a model given by the campaign', () => {
    const plan = planCampaign(
      campaign({ model: 'gpt2', grid: { backends: ['vllm'], shared: {}, backend_overrides: {} } }),
      [],
      { cycles: 1, structure: 'interleaved', seed: 0 },
    );
    expect(validatePlan(plan)).toEqual([]);
  });

  it('reports gpus that are not a list of non-negative integers', () => {
    for (const gpus of [0, [-1], [0.5], ['0'], 'all']) {
      expect(problemsOf({ ...good, gpus })).toEqual([
        `config "pytorch_fp16": gpus: expected a list of non-negative integers, got ${JSON.stringify(gpus)}`,
      ]);
    }
    expect(problemsOf({ ...good, gpus: [] })).toEqual([]);
  });

  it('reports every batch size that is not a positive integer, at any depth', () => {
    expect(
      problemsOf({
        ...good,
        batch_size: 0,
        pytorch: { batch_size: 2.5, batching: { max_batch_size: '8', prefill_batch_size: 4 } },
      }),
      // (`pytorch` comes first: the spread keeps good's key order)
    ).toEqual([
      'config "pytorch_fp16": pytorch.batch_size: expected a positive integer, got 2.5',
      'config "pytorch_fp16": pytorch.batching.max_batch_size: expected a positive integer, got "8"',
      'config "pytorch_fp16": batch_size: expected a positive integer, got 0',
    ]);
    expect(problemsOf({ ...good, pytorch: { batch_size: null } })).toEqual([]);
  });

  it('reports a section for another backend and an unknown backend', () => {
    expect(problemsOf({ ...good, vllm: { gpu_memory_utilization: 0.9 }, tensorrt: null })).toEqual([
      'config "pytorch_fp16": vllm: a section for backend vllm, but this config\'s backend is pytorch',
    ]);
    const plan = planCampaign(
      campaign({ experiments: [{ config: 'configs/x.yaml', overrides: { backend: 'onnx' } }] }),
      [configFile('x', good)],
      { cycles: 1, structure: 'interleaved', seed: 0 },
    );
    expect(validatePlan(plan)).toEqual([
      'config "x_backend-onnx": backend: expected one of pytorch, vllm, tensorrt, got "onnx"',
    ]);
  });

  it('reports each config once however many cycles it runs, and an empty campaign', () => {
    const plan = planCampaign(
      campaign({ grid: { backends: ['pytorch', 'vllm'], shared: {}, backend_overrides: {} } }),
      [],
      { cycles: 5, structure: 'interleaved', seed: 0 },
    );
    expect(validatePlan(plan)).toEqual([
      expect.stringMatching(/^config "pytorch": model_name: missing/),
      expect.stringMatching(/^config "vllm": model_name: missing/),
    ]);
    const empty = planCampaign(campaign(), [], { cycles: 1, structure: 'interleaved', seed: 0 });
    expect(validatePlan(empty)).toEqual(['campaign: no experiments to run']);
  });
});

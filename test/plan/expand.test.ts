import { describe, expect, it } from 'vitest';
import { configHash } from '../../source/plan/campaignId.js';
import { expandConfigs } from '../../source/plan/expand.js';
import { campaign, configFile } from './fixtures.js';

const pytorchBase = configFile('pytorch_base', {
  model_name: 'gpt2',
  backend: 'pytorch',
  fp_precision: 'float16',
  pytorch: { batch_size: 8, attn: { impl: 'sdpa' } },
});
const vllmBase = configFile('vllm_base', {
  config_name: 'vllm-fast',
  model_name: 'gpt2',
  backend: 'vllm',
  vllm: { gpu_memory_utilization: 0.9 },
});
const files = [pytorchBase, vllmBase];

describe('expandConfigs: configs', () => {
  it('takes each file as is, named by config_name or the file stem', () => {
    const { configs, warnings } = expandConfigs(
      campaign({ configs: ['configs/pytorch_base.yaml', './configs/vllm_base.yaml'] }),
      files,
    );
    expect(warnings).toEqual([]);
    expect(configs.map((c) => c.name)).toEqual(['pytorch_base', 'vllm-fast']);
    expect(configs[0]).toEqual({
      name: 'pytorch_base',
      backend: 'pytorch',
      service: 'pytorch',
      sourcePath: '/camp/configs/pytorch_base.yaml',
      config: pytorchBase.data,
      configHash: configHash(pytorchBase.data),
      model: 'gpt2',
    });
    expect(configs[1]).toMatchObject({ backend: 'vllm', service: 'vllm', sourcePath: '/camp/configs/vllm_base.yaml' });
  });

  it('copies the file data instead of sharing it', () => {
    const { configs } = expandConfigs(campaign({ configs: ['configs/pytorch_base.yaml'] }), files);
    expect(configs[0]!.config).not.toBe(pytorchBase.data);
    expect(configs[0]!.config.pytorch).not.toBe(pytorchBase.data.pytorch);
  });

  it('finds files by absolute path too, and fails clearly on a reference that was not loaded', () => {
    const { configs } = expandConfigs(campaign({ configs: ['/camp/configs/vllm_base.yaml'] }), files);
    expect(configs[0]!.name).toBe('vllm-fast');
    expect(() => expandConfigs(campaign({ configs: ['configs/missing.yaml'] }), files)).toThrow(/configs\/missing\.yaml/);
  });

  it('prefers the file next to the campaign, then the shortest path', () => {
    const cwdCopy = { ...configFile('a', { model_name: 'cwd' }), path: '/cwd/configs/a.yaml', resolvedFrom: 'cwd' as const };
    const nested = { ...configFile('a', { model_name: 'nested' }), path: '/camp/other/configs/a.yaml' };
    const near = configFile('a', { model_name: 'near' });
    const { configs } = expandConfigs(campaign({ configs: ['configs/a.yaml'] }), [cwdCopy, nested, near]);
    expect(configs[0]!.model).toBe('near');
  });
});

describe('expandConfigs: experiments', () => {
  it('sets overrides on a copy, with dotted keys setting nested values, and names the overrides', () => {
    const { configs } = expandConfigs(
      campaign({
        experiments: [
          { config: 'configs/pytorch_base.yaml', overrides: { 'pytorch.batch_size': 4, fp_precision: 'bfloat16' } },
        ],
      }),
      files,
    );
    const [spec] = configs;
    expect(spec!.name).toBe('pytorch_base_pytorch_batch_size-4_fp_precision-bfloat16');
    expect(spec!.config).toEqual({
      model_name: 'gpt2',
      backend: 'pytorch',
      fp_precision: 'bfloat16',
      pytorch: { batch_size: 4, attn: { impl: 'sdpa' } },
    });
    expect(pytorchBase.data).toEqual({
      model_name: 'gpt2',
      backend: 'pytorch',
      fp_precision: 'float16',
      pytorch: { batch_size: 8, attn: { impl: 'sdpa' } },
    });
    expect(spec!.configHash).not.toBe(configHash(pytorchBase.data));
  });

  it('creates missing sections and replaces non-objects on a dotted path', () => {
    const { configs } = expandConfigs(
      campaign({
        experiments: [{ config: 'configs/vllm_base.yaml', overrides: { 'vllm.sampling.top_k': 5, 'model_name.x': 1 } }],
      }),
      files,
    );
    expect(configs[0]!.config.vllm).toEqual({ gpu_memory_utilization: 0.9, sampling: { top_k: 5 } });
    expect(configs[0]!.config.model_name).toEqual({ x: 1 });
  });

  it('does not follow __proto__ in a dotted key', () => {
    const { configs } = expandConfigs(
      campaign({ experiments: [{ config: 'configs/vllm_base.yaml', overrides: { '__proto__.polluted': true } }] }),
      files,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(configs[0]!.config, '__proto__')).toBe(true);
  });

  it('keeps the name of an entry without overrides, and follows an overridden backend', () => {
    const { configs } = expandConfigs(
      campaign({
        experiments: [
          { config: 'configs/vllm_base.yaml', overrides: {} },
          { config: 'configs/pytorch_base.yaml', overrides: { backend: 'vllm' } },
        ],
      }),
      files,
    );
    expect(configs.map((c) => [c.name, c.backend, c.service])).toEqual([
      ['vllm-fast', 'vllm', 'vllm'],
      ['pytorch_base_backend-vllm', 'vllm', 'vllm'],
    ]);
  });

  it('sanitizes values in names', () => {
    const { configs } = expandConfigs(
      campaign({
        experiments: [{ config: 'configs/pytorch_base.yaml', overrides: { model_name: 'Qwen/Qwen2.5 0.5B', gpus: [0, 1] } }],
      }),
      files,
    );
    expect(configs[0]!.name).toBe('pytorch_base_model_name-Qwen-Qwen2.5-0.5B_gpus-0,1');
  });
});

describe('expandConfigs: campaign model', () => {
  it('applies the campaign model to every experiment, below an entry override', () => {
    const { configs } = expandConfigs(
      campaign({
        model: 'Qwen/Qwen2.5-0.5B',
        configs: ['configs/pytorch_base.yaml'],
        experiments: [{ config: 'configs/vllm_base.yaml', overrides: { model_name: 'facebook/opt-125m' } }],
        grid: { backends: ['tensorrt'], shared: {}, backend_overrides: {} },
      }),
      files,
    );
    expect(configs.map((c) => [c.config.model_name, c.model])).toEqual([
      ['Qwen/Qwen2.5-0.5B', 'Qwen/Qwen2.5-0.5B'],
      ['facebook/opt-125m', 'facebook/opt-125m'],
      ['Qwen/Qwen2.5-0.5B', 'Qwen/Qwen2.5-0.5B'],
    ]);
  });

  it('leaves model null when there is none', () => {
    const { configs } = expandConfigs(
      campaign({ grid: { backends: ['pytorch'], shared: {}, backend_overrides: {} } }),
      files,
    );
    expect(configs[0]).toMatchObject({ name: 'pytorch', model: null, config: { backend: 'pytorch' } });
  });
});

describe('expandConfigs: grid', () => {
  it('is the cartesian product of shared × backend axes, per backend, named by varying values', () => {
    const { configs, warnings } = expandConfigs(
      campaign({
        model: 'gpt2',
        grid: {
          backends: ['pytorch', 'vllm'],
          shared: { fp_precision: ['float16', 'bfloat16'], max_output_tokens: [64] },
          backend_overrides: { pytorch: { batch_size: [1, 4] } },
        },
      }),
      [],
    );
    expect(warnings).toEqual([]);
    expect(configs.map((c) => c.name)).toEqual([
      'pytorch_fp_precision-float16_batch_size-1',
      'pytorch_fp_precision-float16_batch_size-4',
      'pytorch_fp_precision-bfloat16_batch_size-1',
      'pytorch_fp_precision-bfloat16_batch_size-4',
      'vllm_fp_precision-float16',
      'vllm_fp_precision-bfloat16',
    ]);
    expect(configs[1]).toEqual({
      name: 'pytorch_fp_precision-float16_batch_size-4',
      backend: 'pytorch',
      service: 'pytorch',
      sourcePath: null,
      config: {
        backend: 'pytorch',
        model_name: 'gpt2',
        fp_precision: 'float16',
        max_output_tokens: 64,
        pytorch: { batch_size: 4 },
      },
      configHash: configHash({
        backend: 'pytorch',
        model_name: 'gpt2',
        fp_precision: 'float16',
        max_output_tokens: 64,
        pytorch: { batch_size: 4 },
      }),
      model: 'gpt2',
    });
    expect(configs[5]!.config).toEqual({
      backend: 'vllm',
      model_name: 'gpt2',
      fp_precision: 'bfloat16',
      max_output_tokens: 64,
    });
  });

  it('sets dotted axis keys as nested values and names them with underscores', () => {
    const { configs } = expandConfigs(
      campaign({
        grid: {
          backends: ['pytorch'],
          shared: { 'decoder.temperature': [0, 0.7] },
          backend_overrides: { pytorch: { 'pytorch.load_in_4bit': [true, false] } },
        },
      }),
      [],
    );
    expect(configs.map((c) => c.name)).toEqual([
      'pytorch_decoder_temperature-0_load_in_4bit-true',
      'pytorch_decoder_temperature-0_load_in_4bit-false',
      'pytorch_decoder_temperature-0.7_load_in_4bit-true',
      'pytorch_decoder_temperature-0.7_load_in_4bit-false',
    ]);
    expect(configs[3]!.config).toEqual({
      backend: 'pytorch',
      decoder: { temperature: 0.7 },
      pytorch: { load_in_4bit: false },
    });
  });

  it('sweeps models as model_name, sanitized in names, over the campaign model', () => {
    const { configs } = expandConfigs(
      campaign({
        model: 'ignored',
        grid: {
          backends: ['vllm'],
          models: ['gpt2', 'Qwen/Qwen2.5-0.5B'],
          shared: { fp_precision: ['float16'] },
          backend_overrides: {},
        },
      }),
      [],
    );
    expect(configs.map((c) => [c.name, c.model])).toEqual([
      ['vllm_model-gpt2', 'gpt2'],
      ['vllm_model-Qwen-Qwen2.5-0.5B', 'Qwen/Qwen2.5-0.5B'],
    ]);
    expect(configs[1]!.config).toEqual({ backend: 'vllm', model_name: 'Qwen/Qwen2.5-0.5B', fp_precision: 'float16' });
  });

  it('does not name a single model, and an axis cannot change the backend', () => {
    const { configs } = expandConfigs(
      campaign({ grid: { backends: ['vllm'], models: ['gpt2'], shared: { backend: ['pytorch'] }, backend_overrides: {} } }),
      [],
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ name: 'vllm', backend: 'vllm', config: { backend: 'vllm', model_name: 'gpt2' } });
  });

  it('gives no configs for a backend with an empty axis, and warns about it and about stray overrides', () => {
    const { configs, warnings } = expandConfigs(
      campaign({
        grid: {
          backends: ['pytorch', 'vllm'],
          shared: {},
          backend_overrides: { pytorch: { batch_size: [] }, tensorrt: { tp_size: [1, 2] } },
        },
      }),
      [],
    );
    expect(configs.map((c) => c.name)).toEqual(['vllm']);
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/tensorrt/);
    expect(warnings.join('\n')).toMatch(/batch_size.*pytorch/);
  });

  it('does not share axis values between configs', () => {
    const sampling = { top_k: 5 };
    const { configs } = expandConfigs(
      campaign({ grid: { backends: ['pytorch'], shared: { sampling: [sampling], n: [1, 2] }, backend_overrides: {} } }),
      [],
    );
    expect(configs[0]!.config.sampling).toEqual(sampling);
    expect(configs[0]!.config.sampling).not.toBe(sampling);
    expect(configs[0]!.config.sampling).not.toBe(configs[1]!.config.sampling);
  });
});

describe('expandConfigs: sources and names together', () => {
  it('keeps source order configs, experiments, grid', () => {
    const { configs } = expandConfigs(
      campaign({
        grid: { backends: ['tensorrt'], shared: {}, backend_overrides: {} },
        experiments: [{ config: 'configs/vllm_base.yaml', overrides: { n: 1 } }],
        configs: ['configs/pytorch_base.yaml'],
      }),
      files,
    );
    expect(configs.map((c) => c.name)).toEqual(['pytorch_base', 'vllm-fast_n-1', 'tensorrt']);
  });

  it('makes names unique with _2, _3 and a warning for each rename', () => {
    const { configs, warnings } = expandConfigs(
      campaign({
        configs: ['configs/pytorch_base.yaml', 'configs/pytorch_base.yaml'],
        experiments: [{ config: 'configs/pytorch_base.yaml', overrides: {} }],
        grid: { backends: ['pytorch'], shared: {}, backend_overrides: {} },
      }),
      [pytorchBase, configFile('pytorch', { model_name: 'x' })],
    );
    expect(configs.map((c) => c.name)).toEqual(['pytorch_base', 'pytorch_base_2', 'pytorch_base_3', 'pytorch']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"pytorch_base_2"');
  });

  it('skips a suffix that is already a name', () => {
    const a = configFile('a', {});
    const a2 = configFile('a_2', {});
    const { configs } = expandConfigs(
      campaign({ configs: ['configs/a_2.yaml', 'configs/a.yaml', 'configs/a.yaml', 'configs/a.yaml'] }),
      [a, a2],
    );
    expect(configs.map((c) => c.name)).toEqual(['a_2', 'a', 'a_3', 'a_4']);
    expect(new Set(configs.map((c) => c.name)).size).toBe(4);
  });
});

// Small plans for the campaign tests, built by hand (the planner has its own tests).
import type { Backend } from '../../source/config/types.js';
import type { ConfigSpec, Plan, PlannedExperiment } from '../../source/plan/types.js';

export function configSpec(name: string, backend: Backend = 'pytorch', config: Record<string, unknown> = {}): ConfigSpec {
  return {
    name,
    backend,
    service: backend,
    sourcePath: `/camp/configs/${name}.yaml`,
    config: { config_name: name, backend, model_name: 'Qwen/Qwen2.5-0.5B', ...config },
    configHash: `hash-${name}`.padEnd(12, '0').slice(0, 12),
    model: 'Qwen/Qwen2.5-0.5B',
  };
}

/** Interleaved: every config once per cycle; ids "0001".. in that order. */
export function plan(names: string[], cycles = 2, campaignName = 'test-campaign'): Plan {
  const configs = names.map((name) => configSpec(name, name.startsWith('vllm') ? 'vllm' : 'pytorch'));
  const experiments: PlannedExperiment[] = [];
  for (let cycleIndex = 0; cycleIndex < cycles; cycleIndex += 1) {
    for (const config of configs) {
      const index = experiments.length;
      experiments.push({ expId: String(index + 1).padStart(4, '0'), index, cycleIndex, config });
    }
  }
  return {
    campaignId: '3f2a9c1b',
    campaignName,
    cycles,
    structure: 'interleaved',
    seed: 42,
    configs,
    experiments,
    services: [...new Set(configs.map((c) => c.service))],
    warnings: [],
  };
}

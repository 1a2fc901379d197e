import { BACKENDS } from '../config/types.js';
import type { ConfigSpec, Plan } from './types.js';

export const FP_PRECISIONS = ['float32', 'float16', 'bfloat16'] as const;

/**
 * Problems in a plan that the harness would reject, found before anything
 * runs (`--validate-only`). Each message names its config:
 * `config "pytorch_fp16": fp_precision: expected one of float32, float16, bfloat16, got "fp8"`.
 * An empty list means the plan is fine as far as lem-tui can tell.
 */
export function validatePlan(plan: Plan): string[] {
  const problems: string[] = [];
  if (plan.experiments.length === 0) problems.push('campaign: no experiments to run');
  for (const spec of plan.configs) {
    for (const problem of configProblems(spec)) problems.push(`config "${spec.name}": ${problem}`);
  }
  return problems;
}

function configProblems({ config, backend }: ConfigSpec): string[] {
  const problems: string[] = [];
  const model = config.model_name;
  if (model === undefined || model === null) {
    problems.push('model_name: missing (set it in the config, the campaign\'s model or grid.models)');
  } else if (typeof model !== 'string' || model.trim() === '') {
    problems.push(`model_name: expected a non-empty string, got ${show(model)}`);
  }

  if (config.backend !== undefined && !BACKENDS.includes(config.backend as never)) {
    problems.push(`backend: expected one of ${BACKENDS.join(', ')}, got ${show(config.backend)}`);
  }

  const fp = config.fp_precision;
  if (fp !== undefined && !FP_PRECISIONS.includes(fp as never)) {
    problems.push(`fp_precision: expected one of ${FP_PRECISIONS.join(', ')}, got ${show(fp)}`);
  }

  const gpus = config.gpus;
  if (gpus !== undefined && !(Array.isArray(gpus) && gpus.every((gpu) => Number.isInteger(gpu) && gpu >= 0))) {
    problems.push(`gpus: expected a list of non-negative integers, got ${show(gpus)}`);
  }

  for (const [path, value] of batchSizes(config, '')) {
    if (!(Number.isInteger(value) && (value as number) > 0)) {
      problems.push(`${path}: expected a positive integer, got ${show(value)}`);
    }
  }

  for (const other of BACKENDS) {
    if (other !== backend && config[other] !== undefined && config[other] !== null) {
      problems.push(`${other}: a section for backend ${other}, but this config's backend is ${backend}`);
    }
  }
  return problems;
}

/** Every value (at any depth) whose key ends in `batch_size`, with its dotted path; null means "not set". */
function batchSizes(node: unknown, path: string): [string, unknown][] {
  if (node === null || typeof node !== 'object') return [];
  const found: [string, unknown][] = [];
  const entries: [string, unknown][] = Array.isArray(node)
    ? node.map((value, i): [string, unknown] => [`[${i}]`, value])
    : Object.entries(node);
  for (const [key, value] of entries) {
    const at = key.startsWith('[') ? `${path}${key}` : path ? `${path}.${key}` : key;
    if (!key.startsWith('[') && key.endsWith('batch_size') && value !== null && value !== undefined) found.push([at, value]);
    else found.push(...batchSizes(value, at));
  }
  return found;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

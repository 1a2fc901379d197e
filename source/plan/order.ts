import type { Structure } from '../config/types.js';
import { mixSeed, mulberry32, shuffled } from './random.js';

export interface Ordered<T> {
  item: T;
  /** 0-based cycle. */
  cycleIndex: number;
}

/**
 * Execution order of `configs` over `cycles` cycles, for configs A B C:
 * - interleaved: A B C | A B C
 * - shuffled: each cycle its own permutation, drawn from `seed` and the cycle
 *   (the same seed gives the same order)
 * - grouped: A A | B B | C C (cycleIndex counts up within each group)
 */
export function orderExperiments<T>(
  configs: readonly T[],
  cycles: number,
  structure: Structure,
  seed: number,
): Ordered<T>[] {
  if (!Number.isInteger(cycles) || cycles < 1) throw new RangeError(`cycles must be a positive integer, got ${cycles}`);
  const out: Ordered<T>[] = [];
  switch (structure) {
    case 'interleaved':
      for (let cycle = 0; cycle < cycles; cycle++) {
        for (const item of configs) out.push({ item, cycleIndex: cycle });
      }
      break;
    case 'shuffled':
      for (let cycle = 0; cycle < cycles; cycle++) {
        for (const item of shuffled(configs, mulberry32(mixSeed(seed, cycle)))) out.push({ item, cycleIndex: cycle });
      }
      break;
    case 'grouped':
      for (const item of configs) {
        for (let cycle = 0; cycle < cycles; cycle++) out.push({ item, cycleIndex: cycle });
      }
      break;
    default:
      throw new RangeError(`unknown structure: ${String(structure satisfies never)}`);
  }
  return out;
}

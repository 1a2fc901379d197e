import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderExperiments } from '../../source/plan/order.js';

const configsArb = fc.integer({ min: 1, max: 30 }).map((n) => Array.from({ length: n }, (_, i) => `c${i}`));
const cyclesArb = fc.integer({ min: 1, max: 20 });
const seedArb = fc.integer();
const structureArb = fc.constantFrom('interleaved' as const, 'shuffled' as const, 'grouped' as const);

function countBy(items: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe('orderExperiments', () => {
  it('examples from the format notes: A B C over 3 cycles', () => {
    const show = (structure: 'interleaved' | 'grouped') =>
      orderExperiments(['A', 'B', 'C'], 3, structure, 0)
        .map((e) => `${e.item}${e.cycleIndex}`)
        .join(' ');
    expect(show('interleaved')).toBe('A0 B0 C0 A1 B1 C1 A2 B2 C2');
    expect(show('grouped')).toBe('A0 A1 A2 B0 B1 B2 C0 C1 C2');
  });

  it('every structure: length is configs × cycles and each config appears once per cycle', () => {
    fc.assert(
      fc.property(configsArb, cyclesArb, structureArb, seedArb, (configs, cycles, structure, seed) => {
        const order = orderExperiments(configs, cycles, structure, seed);
        expect(order).toHaveLength(configs.length * cycles);
        const counts = countBy(order.map((e) => e.item));
        expect(counts.size).toBe(configs.length);
        for (const config of configs) expect(counts.get(config)).toBe(cycles);
        const seen = new Set(order.map((e) => `${e.item}@${e.cycleIndex}`));
        expect(seen.size).toBe(order.length); // no config twice in one cycle
        expect(order.every((e) => e.cycleIndex >= 0 && e.cycleIndex < cycles)).toBe(true);
      }),
    );
  });

  it('interleaved: cycle after cycle, configs in their order', () => {
    fc.assert(
      fc.property(configsArb, cyclesArb, seedArb, (configs, cycles, seed) => {
        const expected = Array.from({ length: configs.length * cycles }, (_, i) => ({
          item: configs[i % configs.length],
          cycleIndex: Math.floor(i / configs.length),
        }));
        expect(orderExperiments(configs, cycles, 'interleaved', seed)).toEqual(expected);
      }),
    );
  });

  it('grouped: config after config, cycles counting up within each group', () => {
    fc.assert(
      fc.property(configsArb, cyclesArb, seedArb, (configs, cycles, seed) => {
        const expected = Array.from({ length: configs.length * cycles }, (_, i) => ({
          item: configs[Math.floor(i / cycles)],
          cycleIndex: i % cycles,
        }));
        expect(orderExperiments(configs, cycles, 'grouped', seed)).toEqual(expected);
      }),
    );
  });

  it('shuffled: every cycle is a permutation of all configs, cycles in order', () => {
    fc.assert(
      fc.property(configsArb, cyclesArb, seedArb, (configs, cycles, seed) => {
        const order = orderExperiments(configs, cycles, 'shuffled', seed);
        for (let cycle = 0; cycle < cycles; cycle++) {
          const slice = order.slice(cycle * configs.length, (cycle + 1) * configs.length);
          expect(slice.every((e) => e.cycleIndex === cycle)).toBe(true);
          expect([...slice.map((e) => e.item)].sort()).toEqual([...configs].sort());
        }
      }),
    );
  });

  it('shuffled: the same seed gives the same order', () => {
    fc.assert(
      fc.property(configsArb, cyclesArb, seedArb, (configs, cycles, seed) => {
        expect(orderExperiments(configs, cycles, 'shuffled', seed)).toEqual(
          orderExperiments([...configs], cycles, 'shuffled', seed),
        );
      }),
    );
  });

  it('shuffled: different seeds usually give different orders, and cycles differ from each other', () => {
    const configs = Array.from({ length: 10 }, (_, i) => i);
    const orders = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      orders.add(orderExperiments(configs, 3, 'shuffled', seed).map((e) => e.item).join(','));
    }
    expect(orders.size).toBe(50);
    const [a, b] = [0, 1].map((cycle) =>
      orderExperiments(configs, 2, 'shuffled', 42)
        .filter((e) => e.cycleIndex === cycle)
        .map((e) => e.item)
        .join(','),
    );
    expect(a).not.toBe(b);
  });

  it('shuffled: accepts any number as a seed', () => {
    for (const seed of [-1, 2 ** 40, 0.5, Number.MAX_SAFE_INTEGER]) {
      expect(orderExperiments(['a', 'b', 'c'], 2, 'shuffled', seed)).toHaveLength(6);
    }
  });

  it('does not modify its input and rejects a bad cycle count', () => {
    const configs = ['a', 'b', 'c', 'd'];
    orderExperiments(configs, 5, 'shuffled', 7);
    expect(configs).toEqual(['a', 'b', 'c', 'd']);
    expect(() => orderExperiments(configs, 0, 'interleaved', 0)).toThrow(RangeError);
    expect(() => orderExperiments(configs, 1.5, 'interleaved', 0)).toThrow(RangeError);
  });

  it('an empty config list gives no experiments', () => {
    expect(orderExperiments([], 3, 'shuffled', 1)).toEqual([]);
  });
});

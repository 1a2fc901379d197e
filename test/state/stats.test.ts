import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapMeanCi, describe as describeValues } from '../../source/state/stats.js';

describe('describe', () => {
  it('is null for no values and has no spread for one', () => {
    expect(describeValues([])).toBeNull();
    expect(describeValues([5])).toEqual({ n: 1, mean: 5, spread: null });
  });

  it('uses the sample standard deviation (n - 1)', () => {
    expect(describeValues([2, 4, 4, 4, 5, 5, 7, 9])!.spread).toBeCloseTo(2.138, 3);
  });
});

describe('bootstrapMeanCi', () => {
  it('is null with fewer than 2 values', () => {
    expect(bootstrapMeanCi([])).toBeNull();
    expect(bootstrapMeanCi([3])).toBeNull();
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const values = [10, 12, 9, 15, 11];
    const a = bootstrapMeanCi(values);
    expect(bootstrapMeanCi(values.slice())).toEqual(a);
    expect(bootstrapMeanCi(values, 1000, 7)).not.toEqual(a);
  });

  it('is a point for identical values', () => {
    expect(bootstrapMeanCi([4, 4, 4])).toEqual({ low: 4, high: 4 });
  });

  it('lies within the values and around the mean', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 20 }), (values) => {
        const ci = bootstrapMeanCi(values, 200)!;
        const min = Math.min(...values);
        const max = Math.max(...values);
        const eps = 1e-9 * Math.max(1, max);
        expect(ci.low).toBeGreaterThanOrEqual(min - eps);
        expect(ci.high).toBeLessThanOrEqual(max + eps);
        expect(ci.low).toBeLessThanOrEqual(ci.high);
      }),
    );
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignId, canonicalJson, configHash, formatExpId } from '../../source/plan/campaignId.js';

describe('campaignId', () => {
  it('is the first 8 hex chars of the sha256 of the name', () => {
    const expected = createHash('sha256').update('backend-comparison').digest('hex').slice(0, 8);
    expect(campaignId('backend-comparison')).toBe(expected);
    expect(campaignId('backend-comparison')).toMatch(/^[0-9a-f]{8}$/);
    expect(campaignId('other')).not.toBe(expected);
  });
});

describe('configHash', () => {
  it('is the first 12 hex chars of the md5 of the canonical JSON', () => {
    const expected = createHash('md5').update('{"a":1,"b":{"c":2,"d":[3,{"e":4,"f":5}]}}').digest('hex').slice(0, 12);
    expect(configHash({ b: { d: [3, { f: 5, e: 4 }], c: 2 }, a: 1 })).toBe(expected);
  });

  it('does not depend on key order, at any depth', () => {
    expect(configHash({ x: 1, y: { p: 1, q: 2 } })).toBe(configHash({ y: { q: 2, p: 1 }, x: 1 }));
  });

  it('keeps array order significant', () => {
    expect(configHash({ gpus: [0, 1] })).not.toBe(configHash({ gpus: [1, 0] }));
  });

  it('is stable across calls and key permutations (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(configHash(reversed)).toBe(configHash(object));
        expect(configHash(object)).toMatch(/^[0-9a-f]{12}$/);
      }),
    );
  });

  it('canonicalJson sorts keys recursively', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('formatExpId', () => {
  it('pads to 4 digits and grows past 9999', () => {
    expect(formatExpId(1)).toBe('0001');
    expect(formatExpId(42)).toBe('0042');
    expect(formatExpId(9999)).toBe('9999');
    expect(formatExpId(10000)).toBe('10000');
  });

  it('rejects non-positive or fractional numbers', () => {
    expect(() => formatExpId(0)).toThrow(RangeError);
    expect(() => formatExpId(1.5)).toThrow(RangeError);
  });
});

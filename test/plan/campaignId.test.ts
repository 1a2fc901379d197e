import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignId, configHash, formatExpId, legacySha256CampaignId } from '../../source/plan/campaignId.js';

describe('campaignId', () => {
  it("is llenergymeasure's: the first 8 hex chars of the MD5 of the name", () => {
    expect(campaignId('backend-comparison')).toBe('39f67013');
    expect(campaignId('peerbench-overhead')).toBe('7d578375');
    expect(campaignId('other')).not.toBe('39f67013');
  });

  it('the legacy id of earlier lem-tui versions is the first 8 hex chars of the SHA-256', () => {
    expect(legacySha256CampaignId('backend-comparison')).toBe('99d17bf2');
    expect(legacySha256CampaignId('backend-comparison')).toBe(createHash('sha256').update('backend-comparison').digest('hex').slice(0, 8));
  });
});

describe('configHash', () => {
  it("is llenergymeasure's: the first 12 hex chars of the MD5 of Python's json.dumps(config, sort_keys=True)", () => {
    // Computed with python3: hashlib.md5(json.dumps(c, sort_keys=True).encode()).hexdigest()[:12]
    const config = {
      backend: 'pytorch',
      model_name: 'Qwen/Qwen2.5-0.5B',
      pytorch: { batch_size: 4 },
      fp_precision: 'float16',
      dataset: { name: 'ai_energy_score', sample_size: 100 },
      gpus: [0],
      temperature: 0.7,
      lr: 1e-5,
    };
    expect(configHash(config)).toBe('170395bafd30');
    const text = '{"a": 1, "b": {"c": 2, "d": [3, {"e": 4, "f": 5}]}}';
    expect(configHash({ b: { d: [3, { f: 5, e: 4 }], c: 2 }, a: 1 })).toBe(createHash('md5').update(text).digest('hex').slice(0, 12));
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

import { describe, expect, it } from 'vitest';
import { formatDuration, formatEnergy, formatMeanSpread, formatNumber, formatSilence } from '../../source/state/format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [400, '0s'],
    [42_000, '42s'],
    [59_600, '1m00s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
    [26 * 3_600_000 + 5 * 60_000, '26h05m'],
    [null, 'n/a'],
    [Number.NaN, 'n/a'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatEnergy', () => {
  it.each([
    [1234, '1.23 kJ'],
    [456, '456 J'],
    [45.6, '45.6 J'],
    [0.5, '0.5 J'],
    [0, '0 J'],
    [12_345, '12.3 kJ'],
    [2_500_000, '2.50 MJ'],
    [null, 'n/a'],
  ])('%s J → %s', (j, text) => {
    expect(formatEnergy(j)).toBe(text);
  });
});

describe('formatNumber', () => {
  it.each([
    [1234.5, '1,235'],
    [123.4, '123'],
    [12.34, '12.3'],
    [1.234, '1.23'],
    [0.01234, '0.0123'],
    [0.00001234, '1.23e-5'],
    [null, 'n/a'],
    [Number.POSITIVE_INFINITY, 'n/a'],
  ])('%s → %s', (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });
});

describe('formatSilence', () => {
  it('says how long ago, or that nothing came yet', () => {
    expect(formatSilence(42_000)).toBe('last output 42 s ago');
    expect(formatSilence(185_000)).toBe('last output 3m05s ago');
    expect(formatSilence(null)).toBe('no output yet');
    expect(formatSilence(-5, 'last heartbeat')).toBe('last heartbeat 0 s ago');
  });
});

describe('formatMeanSpread', () => {
  it('shows mean ± spread, the mean alone, or n/a', () => {
    expect(formatMeanSpread({ mean: 456, spread: 12.3 })).toBe('456 ± 12.3');
    expect(formatMeanSpread({ mean: 456, spread: null })).toBe('456');
    expect(formatMeanSpread(null)).toBe('n/a');
  });
});

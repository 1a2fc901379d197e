// The statistics of the summary: mean, sample standard deviation and a
// bootstrap 95 % confidence interval of the mean (llenergymeasure's summary:
// 1000 resamples, seed 42), so the same results always give the same interval.
import { mulberry32 } from '../plan/random.js';

export interface Stat {
  /** Values measured (null ones are left out before). */
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); null with fewer than 2 values. */
  spread: number | null;
}

export interface Interval {
  low: number;
  high: number;
}

export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_SEED = 42;

/** null for no values: "n/a", never 0. */
export function describe(values: readonly number[]): Stat | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = sum(values) / n;
  const spread = n < 2 ? null : Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, spread };
}

/** Percentile bootstrap of the mean; null with fewer than 2 values. */
export function bootstrapMeanCi(
  values: readonly number[],
  resamples = BOOTSTRAP_RESAMPLES,
  seed = BOOTSTRAP_SEED,
): Interval | null {
  const n = values.length;
  if (n < 2) return null;
  const key = `${resamples}:${seed}:${values.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const random = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += values[Math.floor(random() * n)]!;
    means[r] = total / n;
  }
  means.sort();
  const interval = { low: quantile(means, 0.025), high: quantile(means, 0.975) };
  // Views ask every frame; the answer only changes when a result arrives.
  if (cache.size >= 256) cache.clear();
  cache.set(key, interval);
  return interval;
}

const cache = new Map<string, Interval>();

/** Linear interpolation between the closest ranks (numpy's default). */
function quantile(sorted: Float64Array, p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

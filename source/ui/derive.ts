// Figures the views show that are computed from the state.
// (Local until source/state/selectors.ts lands; see the report.)
import type { CampaignState } from '../state/types.js';

export interface Progress {
  done: number;
  total: number;
  completed: number;
  failed: number;
  skipped: number;
}

export function progressOf(state: CampaignState): Progress {
  const count = (s: string) => state.experiments.filter((e) => e.status === s).length;
  const completed = count('completed');
  const failed = count('failed');
  const skipped = count('skipped');
  return { done: completed + failed + skipped, total: state.experiments.length, completed, failed, skipped };
}

export function elapsedMs(state: CampaignState, now: number): number | null {
  if (state.startedAt === null) return null;
  return (state.finishedAt ?? now) - state.startedAt;
}

/** Time left at the pace so far (gaps included); null until something finished. */
export function etaMs(state: CampaignState, now: number): number | null {
  const p = progressOf(state);
  const elapsed = elapsedMs(state, now);
  if (elapsed === null || p.done === 0 || p.done >= p.total) return null;
  return (elapsed / p.done) * (p.total - p.done);
}

export interface Stat {
  mean: number;
  /** Sample standard deviation; null with fewer than 2 values. */
  spread: number | null;
  n: number;
}

function stat(xs: number[]): Stat | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const spread =
    xs.length < 2 ? null : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, spread, n: xs.length };
}

export interface ConfigSummary {
  configName: string;
  backend: string;
  /** Completed experiments. */
  n: number;
  failed: number;
  energyJ: Stat | null;
  tokensPerSecond: Stat | null;
  joulesPerToken: Stat | null;
  energyTrackingFailed: number;
}

export function configSummaries(state: CampaignState): ConfigSummary[] {
  const byName = new Map<string, typeof state.experiments>();
  for (const e of state.experiments) byName.set(e.configName, [...(byName.get(e.configName) ?? []), e]);
  return [...byName.entries()].map(([configName, exps]) => {
    const done = exps.filter((e) => e.status === 'completed');
    const pick = (f: (m: NonNullable<(typeof exps)[number]['metrics']>) => number | null) =>
      stat(done.flatMap((e) => (e.metrics && f(e.metrics) !== null ? [f(e.metrics)!] : [])));
    return {
      configName,
      backend: exps[0]?.backend ?? '',
      n: done.length,
      failed: exps.filter((e) => e.status === 'failed').length,
      energyJ: pick((m) => m.energyJ),
      tokensPerSecond: pick((m) => m.tokensPerSecond),
      joulesPerToken: pick((m) => m.joulesPerToken),
      energyTrackingFailed: done.filter((e) => e.metrics?.energyTrackingFailed).length,
    };
  });
}

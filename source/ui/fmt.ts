// Number and time formatting for the views. Missing measurements read "n/a", never 0.
// (Local until source/state/format.ts lands; see the report.)

export const NA = 'n/a';

/** 42 s, 12m 03s, 1h 02m. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NA;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Three significant digits, no exponent: 1234 → "1234", 12.34 → "12.3", 0.01234 → "0.0123". */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  const digits = Math.min(8, 2 - Math.floor(Math.log10(a)));
  return x.toFixed(digits);
}

// How numbers read in every view: durations, energies, measurements. A value
// that was not measured reads "n/a", never 0.

export const NA = 'n/a';

/** "1h02m", "3m05s", "42s" (rounded to the second). */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NA;
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${pad2(m)}m`;
  if (m > 0) return `${m}m${pad2(s)}s`;
  return `${s}s`;
}

/** "1.23 kJ", "456 J", "2.50 MJ", "n/a". */
export function formatEnergy(joules: number | null): string {
  if (joules === null || !Number.isFinite(joules)) return NA;
  const abs = Math.abs(joules);
  if (abs >= 1e6) return `${significant(joules / 1e6)} MJ`;
  if (abs >= 1e3) return `${significant(joules / 1e3)} kJ`;
  return `${significant(joules)} J`;
}

/** Three significant digits without exponents for everyday sizes, thousands grouped: "1,235", "45.6", "0.0123". */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NA;
  return significant(value);
}

/** "last output 42 s ago", "last output 3m05s ago" for `ms` of silence, or "no output yet" for null. */
export function formatSilence(ms: number | null, what = 'last output'): string {
  if (ms === null) return `no ${what.replace(/^last /, '')} yet`;
  const quiet = Math.max(0, ms);
  const ago = quiet < 60_000 ? `${Math.round(quiet / 1000)} s` : formatDuration(quiet);
  return `${what} ${ago} ago`;
}

/** "456 ± 12", or the mean alone when there is no spread. */
export function formatMeanSpread(
  stat: { mean: number; spread: number | null } | null,
  format: (value: number | null) => string = formatNumber,
): string {
  if (stat === null) return NA;
  return stat.spread === null ? format(stat.mean) : `${format(stat.mean)} ± ${format(stat.spread)}`;
}

function significant(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 1e-4) return Number(value.toPrecision(3)).toString();
  return value.toExponential(2);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

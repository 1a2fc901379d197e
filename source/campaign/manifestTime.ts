// Timestamps in a manifest: lem-tui writes zoned ISO-8601 (UTC), while
// llenergymeasure writes Python's naive `datetime.now().isoformat()`; both
// must read back as the same instant, and which kind a file holds tells who
// wrote it last.

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO-8601 date-time, zoned or not. llenergymeasure writes Python's naive
 * `datetime.now().isoformat()` (local time, no zone, microseconds); a
 * timestamp without a zone is read as local time, as it was written.
 */
export function parseManifestTime(text: string): Date | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const zone = m[8];
  let time: number;
  if (!zone) {
    time = new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  } else {
    time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
    }
  }
  return Number.isFinite(time) ? new Date(time) : null;
}

/** The timestamp has no zone (or is not one at all): Python's naive `datetime.now()`, which lem-tui never writes. */
export function isNaiveTime(text: string): boolean {
  return TIME.exec(text.trim())?.[8] === undefined;
}

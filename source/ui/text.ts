// Fixed-width text for table cells (our cells hold only single-width characters).

/** Cuts `s` to `width` characters, ending with … when cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length <= width) return s;
  return chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/** Pads or cuts `s` to exactly `width` characters. */
export function cell(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const pad = ' '.repeat(Math.max(0, width - [...t].length));
  return align === 'left' ? t + pad : pad + t;
}

/** `n` of `total` as a bar of `width` cells in eighths: "█████▍    ". */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  const partial = rest > 0 ? (PARTIAL[rest] ?? '') : '';
  return ('█'.repeat(full) + partial).padEnd(width, ' ');
}

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** The first index of a window of `size` rows over `total` that keeps `focus` visible, a little below the top. */
export function windowStart(total: number, focus: number, size: number): number {
  if (total <= size || size <= 0) return 0;
  const wanted = focus - Math.floor(size / 3);
  return Math.min(total - size, Math.max(0, wanted));
}

/** Gives `available` lines to sections one at a time, in turn, up to what each needs. */
export function allocate(available: number, needs: number[]): number[] {
  const got = needs.map(() => 0);
  let left = Math.max(0, available);
  let progress = true;
  while (left > 0 && progress) {
    progress = false;
    for (let i = 0; i < needs.length && left > 0; i++) {
      if ((got[i] ?? 0) < (needs[i] ?? 0)) {
        got[i] = (got[i] ?? 0) + 1;
        left--;
        progress = true;
      }
    }
  }
  return got;
}

/** Words of `s` in lines of at most `width` columns (a word longer than that gets a line of its own, cut). */
export function wrapWords(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => truncate(l, width));
}

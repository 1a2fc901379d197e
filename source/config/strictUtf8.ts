// Decoding a file's bytes as UTF-8 or refusing it where it stops being UTF-8,
// so a binary or Latin-1 file is never read as U+FFFD and misleads later.
import { positionIn, type Position } from './yamlPosition.js';

/** Decodes strictly, so a binary or Latin-1 file is refused at its first bad byte instead of read as U+FFFD. */
export function decodeUtf8(bytes: Buffer, fail: (message: string, position?: Position) => never): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const position = positionIn(before, before.length);
    const byte = bytes[offset] ?? 0;
    return fail(`not UTF-8 text (byte 0x${byte.toString(16).padStart(2, '0')}): save the file as UTF-8`, position);
  }
}

/** Offset of the first byte of the first invalid UTF-8 sequence (binary search on valid prefixes). */
function firstInvalidUtf8(bytes: Buffer): number {
  const validPrefix = (n: number): boolean => {
    try {
      // stream: an incomplete sequence at the end of the prefix is not an error yet.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0; // valid
  let high = bytes.length; // invalid (the whole buffer failed to decode)
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (validPrefix(mid)) low = mid;
    else high = mid;
  }
  // bytes[low] breaks the sequence it belongs to; report where that sequence starts.
  for (let j = low - 1; j >= Math.max(0, low - 3); j--) {
    const b = bytes[j]!;
    if ((b & 0xc0) === 0xc0) return j; // a lead byte whose sequence is cut short
    if ((b & 0xc0) !== 0x80) break;
  }
  return low;
}

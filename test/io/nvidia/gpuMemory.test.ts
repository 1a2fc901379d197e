import { describe, expect, it } from 'vitest';
import { highestUsePct, parseNvidiaSmiMemory } from '../../../source/io/nvidia/gpuMemory.js';

describe('parseNvidiaSmiMemory', () => {
  it('reads index, used and total MiB per GPU', () => {
    expect(parseNvidiaSmiMemory('0, 1024, 24576\n1, 20000, 24576\n')).toEqual([
      { index: 0, usedMb: 1024, totalMb: 24576 },
      { index: 1, usedMb: 20000, totalMb: 24576 },
    ]);
  });

  it('is null for anything else: an error text, [N/A] fields, a zero total, nothing', () => {
    expect(parseNvidiaSmiMemory('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.')).toBeNull();
    expect(parseNvidiaSmiMemory('0, [N/A], [N/A]')).toBeNull();
    expect(parseNvidiaSmiMemory('0, 10, 0')).toBeNull();
    expect(parseNvidiaSmiMemory('')).toBeNull();
  });

  it('takes the fullest GPU for the threshold', () => {
    expect(highestUsePct([{ index: 0, usedMb: 10, totalMb: 100 }, { index: 1, usedMb: 90, totalMb: 100 }])).toBe(90);
  });
});

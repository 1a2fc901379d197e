import { describe, expect, it } from 'vitest';
import { visibleGpuIndices } from '../../source/gpu/visibleDevices.js';

const gpus = [
  { index: 0, uuid: 'GPU-8fe3a97d-51f6-a669-0d80-b4530b81b816' },
  { index: 1, uuid: 'GPU-a230e637-c9e1-1b61-3830-a437b874d88d' },
  { index: 2, uuid: 'GPU-a2ffffff-0000-1111-2222-333333333333' },
];

describe('visibleGpuIndices', () => {
  it('unset: all GPUs', () => expect(visibleGpuIndices(undefined, gpus)).toEqual([0, 1, 2]));
  it('indices, in the order given', () => expect(visibleGpuIndices('2,0', gpus)).toEqual([2, 0]));
  it('full UUIDs and unique prefixes, with or without GPU-', () => {
    expect(visibleGpuIndices('GPU-a230e637-c9e1-1b61-3830-a437b874d88d', gpus)).toEqual([1]);
    expect(visibleGpuIndices('8fe3', gpus)).toEqual([0]);
  });
  it('an ambiguous prefix or unknown id ends the list, as CUDA does', () => {
    expect(visibleGpuIndices('1,a2,0', gpus)).toEqual([1]);
    expect(visibleGpuIndices('0,7,1', gpus)).toEqual([0]);
  });
  it('"" and -1 hide every GPU', () => {
    expect(visibleGpuIndices('', gpus)).toEqual([]);
    expect(visibleGpuIndices('-1', gpus)).toEqual([]);
  });
  it('spaces around entries are ignored', () => expect(visibleGpuIndices(' 1 , 2', gpus)).toEqual([1, 2]));
});

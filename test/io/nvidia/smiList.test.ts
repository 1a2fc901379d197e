// `nvidia-smi -L` and the GPUs of --gpus it resolves to.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listGpus } from '../../../source/io/nvidia/listGpus.js';
import { ROOT } from '../../helpers/cli.js';
import { parseGpuSpec } from '../../../source/config/gpuList.js';
import { parseGpuList, resolveGpus } from '../../../source/io/nvidia/smiList.js';

// The real format (one GPU, a MIG device under it, as NVIDIA's docs show it).
const LISTED = `GPU 0: NVIDIA H200 (UUID: GPU-5f2a9c1e-7b3d-4e8f-9a6b-0c1d2e3f4a50)
GPU 1: NVIDIA H200 (UUID: GPU-77aa0000-7b3d-4e8f-9a6b-0c1d2e3f4a51)
  MIG 1g.18gb     Device  0: (UUID: MIG-0e7a1c55-1f2b-5c3d-8e9f-aa11bb22cc33)
`;

describe('--gpus value', () => {
  it('takes all, indices, UUIDs, a YAML list or one integer', () => {
    expect(parseGpuSpec('all')).toEqual({ spec: 'all' });
    expect(parseGpuSpec(' 0, 1,3 ')).toEqual({ spec: ['0', '1', '3'] });
    expect(parseGpuSpec([0, '2'])).toEqual({ spec: ['0', '2'] });
    expect(parseGpuSpec(1)).toEqual({ spec: ['1'] });
    expect(parseGpuSpec('GPU-5f2a9c1e,GPU-77aa')).toEqual({ spec: ['GPU-5f2a9c1e', 'GPU-77aa'] });
  });

  it('refuses junk, an empty list and a GPU listed twice, saying which', () => {
    expect(parseGpuSpec('0,x')).toEqual({ error: 'expected GPU indices (0, 1, …) or UUIDs (GPU-…), got "x"' });
    expect(parseGpuSpec('0,00')).toEqual({ error: 'GPU 0 is listed twice' });
    expect(parseGpuSpec([])).toEqual({ error: 'expected at least one GPU, or all' });
    expect(parseGpuSpec('')).toMatchObject({ error: expect.stringContaining('got ""') });
    expect(parseGpuSpec({ a: 1 })).toMatchObject({ error: expect.stringContaining('expected all') });
  });
});

describe('nvidia-smi -L', () => {
  it('lists the GPU lines, not the MIG devices under them', () => {
    expect(parseGpuList(LISTED)).toEqual([
      { index: 0, name: 'NVIDIA H200', uuid: 'GPU-5f2a9c1e-7b3d-4e8f-9a6b-0c1d2e3f4a50' },
      { index: 1, name: 'NVIDIA H200', uuid: 'GPU-77aa0000-7b3d-4e8f-9a6b-0c1d2e3f4a51' },
    ]);
  });

  it('all: every listed GPU with its UUID; indices and UUID prefixes are checked against the list', () => {
    const listed = parseGpuList(LISTED);
    expect(resolveGpus('all', listed, '')).toEqual({
      gpus: [
        { id: '0', index: 0, uuid: 'GPU-5f2a9c1e-7b3d-4e8f-9a6b-0c1d2e3f4a50' },
        { id: '1', index: 1, uuid: 'GPU-77aa0000-7b3d-4e8f-9a6b-0c1d2e3f4a51' },
      ],
    });
    expect(resolveGpus(['GPU-77aa'], listed, '')).toEqual({ gpus: [{ id: 'GPU-77aa', index: 1, uuid: 'GPU-77aa0000-7b3d-4e8f-9a6b-0c1d2e3f4a51' }] });
    expect(resolveGpus(['2'], listed, '')).toEqual({ error: 'no GPU 2 (nvidia-smi -L lists 0, 1)' });
    expect(resolveGpus(['1', 'GPU-77aa'], listed, '')).toEqual({ error: 'GPU-77aa is GPU 1, listed twice' });
    expect(resolveGpus(['GPU-'], listed, '')).toEqual({ error: 'GPU- names more than one GPU' });
  });

  it('without nvidia-smi: ids are taken as given, and all is an error that says why', () => {
    expect(resolveGpus(['0', 'GPU-ab'], null, 'nvidia-smi is not found')).toEqual({
      gpus: [
        { id: '0', index: 0, uuid: null },
        { id: 'GPU-ab', index: null, uuid: 'GPU-ab' },
      ],
    });
    expect(resolveGpus('all', null, 'nvidia-smi is not found')).toEqual({ error: 'all needs nvidia-smi to list the GPUs, and nvidia-smi is not found' });
  });
});

describe('nvidia-smi -L through the stand-in (a real process)', () => {
  it('a host whose driver sees no GPU: --gpus all says why, as the real nvidia-smi does (No devices were found, exit 6)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-nogpu-'));
    const state = path.join(dir, 'state.json');
    fs.writeFileSync(state, JSON.stringify({ gpus: [] }));
    const saved = process.env.LEM_FAKE_GPU_STATE;
    process.env.LEM_FAKE_GPU_STATE = state;
    try {
      const listed = await listGpus([path.join(ROOT, 'fixtures/gpu/bin/nvidia-smi'), '-L']);
      expect(listed).toEqual({ unavailable: 'nvidia-smi -L failed (exit 6: No devices were found)' });
    } finally {
      if (saved === undefined) delete process.env.LEM_FAKE_GPU_STATE;
      else process.env.LEM_FAKE_GPU_STATE = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

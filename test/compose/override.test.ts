import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { overrideDocument, overridePath, writeOverrideFile } from '../../source/compose/override.js';

describe('override file', () => {
  it('keeps every service alive with init', () => {
    expect(overrideDocument(['pytorch', 'vllm'])).toEqual({
      services: {
        pytorch: { command: ['sleep', 'infinity'], init: true },
        vllm: { command: ['sleep', 'infinity'], init: true },
      },
    });
  });

  it('copies the base file\'s version and writes where overridePath says', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lem-ovr-'));
    try {
      const base = path.join(dir, 'docker-compose.yml');
      await writeFile(base, 'version: "3.8"\nservices:\n  pytorch:\n    image: x\n');
      const file = await writeOverrideFile({ dir, project: 'lem-1', services: ['pytorch'], baseFiles: [base] });
      expect(file).toBe(overridePath(dir, 'lem-1'));
      const doc = parse(await readFile(file, 'utf8'));
      expect(doc.version).toBe('3.8');
      expect(doc.services.pytorch.command).toEqual(['sleep', 'infinity']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with GPU slots: one service per slot extending the base, kept alive, with the slot\'s devices', () => {
    const doc = overrideDocument(['pytorch'], null, [
      { name: 'pytorch-gpu0', base: 'pytorch', baseFile: '/c/docker-compose.yml', visibleDevices: 'GPU-aaa' },
      { name: 'pytorch-gpu1', base: 'pytorch', baseFile: '/c/docker-compose.yml', visibleDevices: '1' },
    ]);
    expect(doc).toEqual({
      services: {
        pytorch: { command: ['sleep', 'infinity'], init: true },
        'pytorch-gpu0': {
          extends: { file: '/c/docker-compose.yml', service: 'pytorch' },
          command: ['sleep', 'infinity'],
          init: true,
          environment: { CUDA_VISIBLE_DEVICES: 'GPU-aaa', NVIDIA_VISIBLE_DEVICES: 'GPU-aaa' },
        },
        'pytorch-gpu1': {
          extends: { file: '/c/docker-compose.yml', service: 'pytorch' },
          command: ['sleep', 'infinity'],
          init: true,
          environment: { CUDA_VISIBLE_DEVICES: '1', NVIDIA_VISIBLE_DEVICES: '1' },
        },
      },
    });
  });

  it('extends the first base file that defines the service, by absolute path; version from the first file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lem-ovr-'));
    try {
      const first = path.join(dir, 'docker-compose.yml');
      const second = path.join(dir, 'extra.yml');
      await writeFile(first, 'version: "2.4"\nservices:\n  pytorch:\n    image: x\n');
      await writeFile(second, 'x-common: &common\n  container_name: fixed\nservices:\n  vllm:\n    <<: *common\n    image: y\n');
      const slots = [{ labels: ['0'], visibleDevices: '0' }];
      const file = await writeOverrideFile({ dir, project: 'lem-2', services: ['pytorch', 'vllm'], baseFiles: [first, second], gpuSlots: slots });
      const doc = parse(await readFile(file, 'utf8'));
      expect(doc.version).toBe('2.4');
      expect(doc.services['pytorch-gpu0'].extends).toEqual({ file: first, service: 'pytorch' });
      expect(doc.services['vllm-gpu0'].extends).toEqual({ file: second, service: 'vllm' });
      // A fixed container_name (here through a YAML merge key) would clash between slots: each gets its own.
      expect(doc.services['vllm-gpu0'].container_name).toBe('lem-2-vllm-gpu0');
      expect(doc.services['pytorch-gpu0']).not.toHaveProperty('container_name');
      expect(Object.keys(doc.services)).toEqual(['pytorch', 'vllm', 'pytorch-gpu0', 'vllm-gpu0']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

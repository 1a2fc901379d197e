// The persistent dispatcher's words with GPU slots (no engine: nothing is started).
import { describe, expect, it } from 'vitest';
import { createPersistentDispatcher } from '../../source/dispatch/persistentDispatcher.js';
import { composeTarget } from '../../source/compose/flavour.js';
import type { DispatchRequest } from '../../source/domain/runRequest.js';

const target = composeTarget('docker compose', 'lem-x', ['/c/docker-compose.yml']);
const base = { target, services: ['pytorch'], stateDir: '/state' };
const req = (gpus?: string[]): DispatchRequest => ({
  expId: 'e1',
  service: 'pytorch',
  argv: ['lem', 'experiment', '/app/configs/a.yaml'],
  env: { CUDA_VISIBLE_DEVICES: '1' },
  secretKeys: [],
  timeoutMs: 0,
  inactivityMs: 0,
  stuckMs: 0,
  ...(gpus ? { gpus } : {}),
});
const prefix = ['docker', 'compose', '-p', 'lem-x', '-f', '/c/docker-compose.yml', '-f', '/state/lem-x.override.yml'];

describe('persistent dispatcher with GPU slots', () => {
  it('starts one service per slot and execs in the slot\'s service', () => {
    const d = createPersistentDispatcher({ ...base, gpuSlots: [{ labels: ['0'], visibleDevices: '0' }, { labels: ['1'], visibleDevices: '1' }] });
    expect(d.commands.up).toEqual([...prefix, 'up', '-d', 'pytorch-gpu0', 'pytorch-gpu1']);
    expect(d.commands.upServices).toEqual(['pytorch-gpu0', 'pytorch-gpu1']);
    expect(d.serviceFor?.('pytorch', ['1'])).toBe('pytorch-gpu1');
    expect(d.describe(req(['1']))).toEqual([...prefix, 'exec', '-T', '-e', 'CUDA_VISIBLE_DEVICES=1', 'pytorch-gpu1', 'lem', 'experiment', '/app/configs/a.yaml']);
  });

  it('without slots: the argv of one service, as before', () => {
    for (const gpuSlots of [undefined, null]) {
      const d = createPersistentDispatcher({ ...base, gpuSlots });
      expect(d.commands.up).toEqual([...prefix, 'up', '-d', 'pytorch']);
      expect(d.serviceFor?.('pytorch', ['1'])).toBe('pytorch');
      expect(d.describe(req(['1']))).toEqual([...prefix, 'exec', '-T', '-e', 'CUDA_VISIBLE_DEVICES=1', 'pytorch', 'lem', 'experiment', '/app/configs/a.yaml']);
      expect(d.describe(req())).toEqual(d.describe(req(['1'])));
    }
  });
});

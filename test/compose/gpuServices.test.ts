import { describe, expect, it } from 'vitest';
import { gpuServicesOf, persistentGpuSlots, serviceForSlot, servicesNamed, startedServices } from '../../source/compose/gpuServices.js';

const slots = [
  { labels: ['0'], visibleDevices: 'GPU-aaa' },
  { labels: ['1'], visibleDevices: 'GPU-bbb' },
];

describe('per-GPU services of persistent mode', () => {
  it('one per (service, slot), service-major, with the slot\'s visible devices', () => {
    expect(gpuServicesOf(['pytorch', 'vllm'], slots)).toEqual([
      { name: 'pytorch-gpu0', base: 'pytorch', visibleDevices: 'GPU-aaa' },
      { name: 'pytorch-gpu1', base: 'pytorch', visibleDevices: 'GPU-bbb' },
      { name: 'vllm-gpu0', base: 'vllm', visibleDevices: 'GPU-aaa' },
      { name: 'vllm-gpu1', base: 'vllm', visibleDevices: 'GPU-bbb' },
    ]);
    expect(gpuServicesOf(['pytorch'], [{ labels: ['2', '3'], visibleDevices: '2,3' }]).map((s) => s.name)).toEqual(['pytorch-gpu2-3']);
  });

  it('refuses two slots that would share a service name', () => {
    expect(() => gpuServicesOf(['pytorch'], [slots[0]!, { labels: ['0'], visibleDevices: 'x' }])).toThrow(/reuse the service name pytorch-gpu0/);
  });

  it('without slots: the services themselves, names unchanged', () => {
    expect(startedServices(['pytorch', 'vllm'], null)).toEqual(['pytorch', 'vllm']);
    expect(startedServices(['pytorch'], [])).toEqual(['pytorch']);
    expect(serviceForSlot('pytorch', ['0'], null)).toBe('pytorch');
    expect(servicesNamed('pytorch', ['pytorch'], null)).toEqual(['pytorch']);
  });

  it('with slots: the slot\'s service, and a base name stands for all of its GPUs', () => {
    expect(startedServices(['pytorch'], slots)).toEqual(['pytorch-gpu0', 'pytorch-gpu1']);
    expect(serviceForSlot('pytorch', ['1'], slots)).toBe('pytorch-gpu1');
    expect(serviceForSlot('pytorch', undefined, slots)).toBe('pytorch');
    expect(servicesNamed('pytorch', ['pytorch'], slots)).toEqual(['pytorch-gpu0', 'pytorch-gpu1']);
    expect(servicesNamed('pytorch-gpu1', ['pytorch'], slots)).toEqual(['pytorch-gpu1']);
  });

  it('takes the slots of --gpus: labels by index, devices by UUID when known', () => {
    const groups = [[{ id: '0', index: 0, uuid: 'GPU-aaa' }], [{ id: 'GPU-bbb', index: null, uuid: null }, { id: '3', index: 3, uuid: 'GPU-ddd' }]];
    expect(persistentGpuSlots(groups)).toEqual([
      { labels: ['0'], visibleDevices: 'GPU-aaa' },
      { labels: ['GPU-bbb', '3'], visibleDevices: 'GPU-bbb,GPU-ddd' },
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coolDown, type CoolDownEnd } from '../../source/campaign/coolDown.js';
import { GpuSampleHub } from '../../source/campaign/gpuMeter.js';
import type { GpuReading } from '../../source/domain/gpu.js';
import { stillWarm } from '../../source/gpu/coolDownTarget.js';

const gpu = (index: number, temperatureC: number | null, powerW: number | null = 60): GpuReading => ({
  index, uuid: `GPU-${index}`, name: 'NVIDIA H200', powerW, memoryUsedMiB: 0, memoryTotalMiB: 1, utilizationPct: 0, temperatureC, throttled: false,
});

describe('stillWarm', () => {
  const target = { maxTemperatureC: 45, idlePowerW: 100 };
  it('names each GPU that is too warm or draws too much, with the target', () => {
    expect(stillWarm({ at: 0, gpus: [gpu(0, 67), gpu(1, 40, 180)] }, [0, 1], target)).toBe('GPU 0: 67 °C → 45 °C, GPU 1: 180 W → 100 W');
  });
  it('only the GPUs the experiment uses count', () => expect(stillWarm({ at: 0, gpus: [gpu(0, 67), gpu(1, 40)] }, [1], target)).toBeNull());
  it('at the target is cool; a missing reading cannot be waited for', () => {
    expect(stillWarm({ at: 0, gpus: [gpu(0, 45, 100)] }, [0], target)).toBeNull();
    expect(stillWarm({ at: 0, gpus: [gpu(0, null, null)] }, [0], target)).toBeNull();
  });
});

describe('coolDown (fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function start(hub: GpuSampleHub, maxMs: number, cudaVisibleDevices?: string) {
    const waiting: (string | null)[] = [];
    const controller = new AbortController();
    let ended: CoolDownEnd | null = null;
    void coolDown({
      hub, target: { maxTemperatureC: 45, idlePowerW: null }, cudaVisibleDevices, minMs: 5000, maxMs, signal: controller.signal,
      onWaiting: (w) => waiting.push(w),
    }).then((e) => (ended = e));
    return { waiting, controller, ended: () => ended };
  }

  it('ends when the GPUs reach the target, not before the 5 s minimum', async () => {
    const hub = new GpuSampleHub();
    hub.publish({ at: 0, gpus: [gpu(0, 67)] });
    const t = start(hub, 60_000);
    expect(t.waiting).toEqual(['GPU 0: 67 °C → 45 °C']);
    await vi.advanceTimersByTimeAsync(1000);
    hub.publish({ at: 1000, gpus: [gpu(0, 44)] }); // cool already, but the minimum is not over
    await vi.advanceTimersByTimeAsync(3000);
    expect(t.ended()).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.ended()).toEqual({ end: 'cool' });
  });

  it('waits past the minimum while warm and ends on the sample that is cool', async () => {
    const hub = new GpuSampleHub();
    hub.publish({ at: 0, gpus: [gpu(0, 70)] });
    const t = start(hub, 60_000);
    for (let s = 1; s <= 20; s++) {
      await vi.advanceTimersByTimeAsync(1000);
      hub.publish({ at: s * 1000, gpus: [gpu(0, 70 - s * 1.5)] }); // 45 °C at s = 16.7
      if (t.ended()) break;
    }
    expect(t.ended()).toEqual({ end: 'cool' });
    expect(t.waiting.at(-2)).toBe('GPU 0: 46 °C → 45 °C');
    expect(t.waiting.at(-1)).toBeNull();
  });

  it('gives up at the maximum and says what was still warm', async () => {
    const hub = new GpuSampleHub();
    hub.publish({ at: 0, gpus: [gpu(0, 80)] });
    const t = start(hub, 10_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.ended()).toEqual({ end: 'timeout', waitingFor: 'GPU 0: 80 °C → 45 °C' });
  });

  it('the maximum is never under the minimum; a GPU it does not use does not hold it', async () => {
    const hub = new GpuSampleHub();
    hub.publish({ at: 0, gpus: [gpu(0, 90), gpu(1, 30)] });
    const t = start(hub, 0, '1');
    await vi.advanceTimersByTimeAsync(4999);
    expect(t.ended()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(t.ended()).toEqual({ end: 'cool' });
  });

  it('a skip or quit ends it at once', async () => {
    const hub = new GpuSampleHub();
    hub.publish({ at: 0, gpus: [gpu(0, 80)] });
    const t = start(hub, 60_000);
    t.controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.ended()).toEqual({ end: 'aborted' });
  });
});

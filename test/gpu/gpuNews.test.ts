// What the samples say once: a GPU without power readings ([N/A] / [Not
// Supported]), a GPU that stops answering mid-run, and its return.
import { describe, expect, it } from 'vitest';
import type { GpuReading, GpuSample } from '../../source/domain/gpu.js';
import { GpuNews } from '../../source/gpu/gpuNews.js';

const reading = (index: number, powerW: number | null = 100): GpuReading => ({
  index, uuid: `GPU-${index}`, name: 'NVIDIA H200', powerW, memoryUsedMiB: 1, memoryTotalMiB: 2, utilizationPct: 0, temperatureC: 30, throttled: false,
});
const sample = (at: number, ...gpus: GpuReading[]): GpuSample => ({ at, gpus });

describe('GpuNews', () => {
  it('a GPU whose power is never reported: one notice, not one per sample or per experiment', () => {
    const news = new GpuNews(3000);
    const said = [0, 500, 1000, 1500].flatMap((at) => news.sample(sample(at, reading(0), reading(1, null))));
    expect(said).toEqual([{ level: 'warn', message: 'GPU 1: nvidia-smi reports no power draw ([N/A] or [Not Supported]): no host energy for the experiments on it' }]);
  });

  it('a GPU that disappears: told once it has been missing past the limit, and again when it is back', () => {
    const news = new GpuNews(3000);
    const said: string[] = [];
    for (let at = 0; at <= 2000; at += 500) said.push(...news.sample(sample(at, reading(0), reading(1))).map((n) => n.message));
    for (let at = 2500; at <= 10_000; at += 500) said.push(...news.sample(sample(at, reading(0))).map((n) => n.message));
    expect(said).toEqual(['GPU 1 no longer answers nvidia-smi (no reading for 4 s): no host energy for the experiments on it']);
    said.push(...news.sample(sample(10_500, reading(0), reading(1))).map((n) => n.message));
    expect(said.at(-1)).toBe('GPU 1 answers nvidia-smi again');
    expect(said).toHaveLength(2);
  });

  it('a GPU missing from one short block (a rejected line) is not gone', () => {
    const news = new GpuNews(3000);
    const said = [
      ...news.sample(sample(0, reading(0), reading(1))),
      ...news.sample(sample(500, reading(0))),
      ...news.sample(sample(1000, reading(0), reading(1))),
    ];
    expect(said).toEqual([]);
  });
});

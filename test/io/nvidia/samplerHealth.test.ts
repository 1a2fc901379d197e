// When the nvidia-smi loop stops: one notice when it first stops, one when it
// recovers, and a budget over the whole run that slow deaths cannot outrun
// (the old rule, 5 stops within a minute, never gave up on deaths ≥ 12 s apart).
import { describe, expect, it } from 'vitest';
import { MAX_STOPS, RECOVERED_AFTER_MS, SamplerHealth } from '../../../source/io/nvidia/samplerHealth.js';
import { rejectedNews } from '../../../source/io/nvidia/smiBlocks.js';

describe('SamplerHealth', () => {
  it('a loop that dies every 13 s: one notice, then gives up after MAX_STOPS', () => {
    const health = new SamplerHealth();
    const notices: string[] = [];
    let gaveUpAt: number | null = null;
    for (let stop = 1; stop <= 100 && gaveUpAt === null; stop++) {
      // 13 s of readings between deaths: never long enough to count as recovered
      for (let t = 0; t < 13_000; t += 1000) {
        const n = health.block(stop * 13_000 + t);
        if (n) notices.push(n);
      }
      const verdict = health.stopped('exit 1');
      if (verdict.giveUp) gaveUpAt = stop;
      else if (verdict.notice) notices.push(verdict.notice);
    }
    expect(notices).toEqual(['GPU sampler stopped (exit 1); restarting']);
    expect(gaveUpAt).toBe(MAX_STOPS + 1);
  });

  it('deaths an hour apart: a notice when it stops and one when it has recovered, and still a budget for the run', () => {
    const health = new SamplerHealth();
    const notices: string[] = [];
    let stops = 0;
    for (; stops < 100; stops++) {
      const verdict = health.stopped('exit 1');
      if (verdict.giveUp) break;
      if (verdict.notice) notices.push(verdict.notice);
      for (let t = 0; t <= RECOVERED_AFTER_MS; t += 1000) {
        const n = health.block(stops * 3_600_000 + t);
        if (n) notices.push(n);
      }
    }
    expect(stops).toBe(MAX_STOPS);
    expect(notices).toHaveLength(2 * MAX_STOPS);
    expect(notices.slice(0, 2)).toEqual(['GPU sampler stopped (exit 1); restarting', 'GPU sampler recovered (1 stop so far; it gives up after 10)']);
  });

  it('no notice while it reads as it should', () => {
    const health = new SamplerHealth();
    for (let t = 0; t < 10 * RECOVERED_AFTER_MS; t += 1000) expect(health.block(t)).toBeNull();
  });
});

describe('rejectedNews', () => {
  it('the first rejected line, then the count at 10, 100, 1000: never a notice per line', () => {
    const said: string[] = [];
    let told = 0;
    for (let count = 1; count <= 5000; count++) {
      const news = rejectedNews(count, told, '9, GPU-x, ghost, 1, 1, 1, 1, 1, Not Active, Not Active', [0, 1]);
      if (news) said.push(news);
      told = count;
    }
    expect(said).toEqual([
      'nvidia-smi printed a line that is not a reading of GPU 0, 1, ignored: "9, GPU-x, ghost, 1, 1, 1, 1, 1, Not Active, Not Active" (more are counted)',
      'nvidia-smi: 10 lines ignored so far (not readings of GPU 0, 1)',
      'nvidia-smi: 100 lines ignored so far (not readings of GPU 0, 1)',
      'nvidia-smi: 1000 lines ignored so far (not readings of GPU 0, 1)',
    ]);
  });
});

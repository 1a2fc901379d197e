// The plain and NDJSON reporters with --gpus: a started line names its GPUs,
// gaps say whose slot waits, events carry gpus and slot.
import { describe, expect, it } from 'vitest';
import { createNdjsonReporter } from '../../source/report/ndjson.js';
import { createPlainReporter } from '../../source/report/plain.js';
import { selectSlotGpus } from '../../source/state/selectors.js';
import type { Action } from '../../source/state/types.js';
import { finished, meta, metrics, planned, S, T0 } from '../state/fixtures.js';
import { play } from './script.js';

const gpuMeta = { ...meta, gpus: ['0', '1', '2', '3'], slots: 2 };

const script: Action[] = [
  planned(T0, undefined, gpuMeta),
  { type: 'campaign/started', at: T0 },
  { type: 'experiment/started', at: T0, expId: '0001', attempt: 1, gpus: ['0', '1'], slot: 0 },
  { type: 'experiment/started', at: T0 + S, expId: '0002', attempt: 1, gpus: ['2', '3'], slot: 1 },
  finished('0001', T0 + 10 * S, 10 * S, 'completed', metrics(100, 10, 0.1)),
  { type: 'gap/started', at: T0 + 10 * S, kind: 'experiment', endsAt: T0 + 70 * S, slot: 0 },
];

describe('with --gpus', () => {
  it('plain: started and finished lines say the GPUs, a gap says whose GPUs wait', () => {
    const out: string[] = [];
    play(createPlainReporter((l) => out.push(l)), script);
    expect(out).toContain('[1/4] cycle 1/2 pytorch_fp16 (pytorch) started on GPUs 0,1');
    expect(out).toContain('[2/4] cycle 1/2 vllm_bs8 (vllm) started on GPUs 2,3');
    expect(out).toContain('waiting 1m00s before the next experiment on GPUs 0,1');
    expect(out.find((l) => l.includes('completed'))).toMatch(/^\[1\/4\] cycle 1\/2 pytorch_fp16 \(pytorch\) on GPUs 0,1 completed in 10s/);
  });

  it('NDJSON: experiment.started has gpus and slot, gap.started its slot, campaign.started the GPUs', () => {
    const out: string[] = [];
    play(createNdjsonReporter((l) => out.push(l)), script);
    const events = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.type === 'campaign.started')).toMatchObject({ gpus: ['0', '1', '2', '3'], slots: 2 });
    expect(events.filter((e) => e.type === 'experiment.started').map((e) => [e.expId, e.gpus, e.slot])).toEqual([
      ['0001', ['0', '1'], 0],
      ['0002', ['2', '3'], 1],
    ]);
    expect(events.find((e) => e.type === 'gap.started')).toMatchObject({ slot: 0, durationMs: 60_000 });
  });

  it('without --gpus: gpus is null and no slot appears', () => {
    const out: string[] = [];
    play(createNdjsonReporter((l) => out.push(l)), [
      planned(),
      { type: 'experiment/started', at: T0, expId: '0001', attempt: 1 },
      { type: 'gap/started', at: T0, kind: 'experiment', endsAt: T0 + S },
    ]);
    const events = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = events.find((e) => e.type === 'experiment.started')!;
    expect(started.gpus).toBeNull();
    expect('slot' in started).toBe(false);
    expect('slot' in events.find((e) => e.type === 'gap.started')!).toBe(false);
  });

  it('a slot’s GPUs are its consecutive group of meta.gpus', () => {
    const state = play(() => {}, [planned(T0, undefined, gpuMeta)]).getState();
    expect(selectSlotGpus(state, 1)).toEqual(['2', '3']);
    expect(selectSlotGpus(state, 2)).toBeNull();
  });
});

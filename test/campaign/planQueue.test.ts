// The plan queue: experiments in plan order, cycles that do not overlap, and
// one cycle gap held by the slot that opens the cycle.
import { describe, expect, it } from 'vitest';
import { PlanQueue } from '../../source/campaign/planQueue.js';
import { plan } from './planFixture.js';

const never = new AbortController().signal;
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('PlanQueue', () => {
  it('hands out experiments in plan order; the first of the campaign opens no cycle', async () => {
    const q = new PlanQueue(plan(['a', 'b'], 1).experiments);
    const first = await q.take(never);
    const second = await q.take(never);
    expect([first?.experiment.config.name, second?.experiment.config.name]).toEqual(['a', 'b']);
    expect(first?.opensCycle).toBe(false);
    expect(await q.take(never)).toBeNull();
  });

  it('the first experiment of cycle 2 waits until every experiment of cycle 1 has ended, then opens the cycle', async () => {
    const q = new PlanQueue(plan(['a', 'b'], 2).experiments);
    await q.take(never);
    await q.take(never);
    let taken: Awaited<ReturnType<PlanQueue['take']>> | undefined;
    void q.take(never).then((t) => (taken = t));
    q.done();
    await settle();
    expect(taken).toBeUndefined(); // one experiment of cycle 1 still runs
    q.done();
    await settle();
    expect(taken?.experiment.cycleIndex).toBe(1);
    expect(taken?.opensCycle).toBe(true);
  });

  it('the other slots wait for the cycle gap of the slot that opened the cycle', async () => {
    const q = new PlanQueue(plan(['a', 'b'], 2).experiments);
    await q.take(never);
    q.done();
    await q.take(never);
    q.done();
    const opener = await q.take(never);
    expect(opener?.opensCycle).toBe(true);
    let second: Awaited<ReturnType<PlanQueue['take']>> | undefined;
    void q.take(never).then((t) => (second = t));
    await settle();
    expect(second).toBeUndefined();
    q.gapEnded();
    await settle();
    expect(second?.experiment.config.name).toBe('b');
    expect(second?.opensCycle).toBe(false);
  });

  it('an abort or a halt ends a wait with null', async () => {
    const q = new PlanQueue(plan(['a'], 2).experiments);
    await q.take(never);
    const stop = new AbortController();
    const waiting = q.take(stop.signal);
    stop.abort();
    expect(await waiting).toBeNull();
    const halted = q.take(never);
    q.halt();
    expect(await halted).toBeNull();
  });
});

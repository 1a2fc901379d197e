// The pause shared by all slots: who waits, and what is said how often.
import { describe, expect, it } from 'vitest';
import { PauseGate } from '../../source/campaign/pauseGate.js';
import type { Action } from '../../source/state/types.js';

function gate() {
  const said: string[] = [];
  const campaign = new AbortController();
  const subject = new PauseGate(
    (action: Action) => said.push(action.type === 'campaign/pauseRequested' ? `${action.type} ${action.paused}` : action.type),
    () => 0,
    campaign.signal,
  );
  return { subject, said, campaign };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('PauseGate', () => {
  it('without a pause, passes at once and says nothing', async () => {
    const { subject, said } = gate();
    await subject.waitWhilePaused();
    expect(said).toEqual([]);
  });

  it('holds every slot that arrives while paused; says paused and resumed once for all', async () => {
    const { subject, said } = gate();
    subject.toggle();
    const passed: number[] = [];
    const slots = [1, 2, 3].map((n) => subject.waitWhilePaused().then(() => passed.push(n)));
    await turn();
    expect(passed).toEqual([]);
    subject.toggle();
    await Promise.all(slots);
    expect(passed.sort()).toEqual([1, 2, 3]);
    expect(said).toEqual(['campaign/pauseRequested true', 'campaign/paused', 'campaign/pauseRequested false', 'campaign/resumed']);
  });

  it('a stop lets the waiting slots go without "resumed"; once stopped, nothing waits', async () => {
    const { subject, said, campaign } = gate();
    subject.toggle();
    const waiting = subject.waitWhilePaused();
    campaign.abort();
    subject.release();
    await waiting;
    await subject.waitWhilePaused();
    expect(said).toEqual(['campaign/pauseRequested true', 'campaign/paused']);
  });

  it('a pause and un-pause before any slot arrives: nothing waits, nothing is said paused', async () => {
    const { subject, said } = gate();
    subject.toggle();
    subject.toggle();
    await subject.waitWhilePaused();
    expect(said).toEqual(['campaign/pauseRequested true', 'campaign/pauseRequested false']);
  });
});

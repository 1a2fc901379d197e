import { describe, expect, it, vi } from 'vitest';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { createStore } from '../../source/state/store.js';
import type { Action } from '../../source/state/types.js';
import { planned, T0 } from './fixtures.js';

const tick = (at: number): Action => ({ type: 'tick', at });

describe('createStore', () => {
  it('reduces synchronously and tells every listener the action and the new state', () => {
    const store = createStore(campaignReducer, initialCampaignState());
    const seen: Array<[string, number]> = [];
    store.subscribe((action, state) => seen.push([action.type, state.now]));
    store.dispatch(planned());
    store.dispatch(tick(T0 + 5));
    expect(store.getState().now).toBe(T0 + 5);
    expect(seen).toEqual([
      ['campaign/planned', T0],
      ['tick', T0 + 5],
    ]);
  });

  it('unsubscribe stops the calls and is safe twice', () => {
    const store = createStore(campaignReducer, initialCampaignState());
    const listener = vi.fn();
    const off = store.subscribe(listener);
    store.dispatch(tick(1));
    off();
    off();
    store.dispatch(tick(2));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('the same listener subscribed twice is called twice and unsubscribed separately', () => {
    const store = createStore(campaignReducer, initialCampaignState());
    const listener = vi.fn();
    const off1 = store.subscribe(listener);
    store.subscribe(listener);
    off1();
    store.dispatch(tick(1));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('an action dispatched by a listener comes after the current one, for every listener', () => {
    const store = createStore(campaignReducer, initialCampaignState());
    const a: string[] = [];
    const b: string[] = [];
    store.subscribe((action) => {
      a.push(`${action.type}@${action.at}`);
      if (action.at === 1) store.dispatch(tick(2));
    });
    store.subscribe((action, state) => b.push(`${action.type}@${action.at}/${state.now}`));
    store.dispatch(tick(1));
    expect(a).toEqual(['tick@1', 'tick@2']);
    expect(b).toEqual(['tick@1/1', 'tick@2/2']);
  });

  it('a throwing listener does not keep the others from the action; the error surfaces after', () => {
    const store = createStore(campaignReducer, initialCampaignState());
    const after = vi.fn();
    store.subscribe(() => {
      throw new Error('broken view');
    });
    store.subscribe(after);
    expect(() => store.dispatch(tick(1))).toThrow('broken view');
    expect(after).toHaveBeenCalledTimes(1);
    expect(store.getState().now).toBe(1);
    // and the store still works
    expect(() => store.dispatch(tick(2))).toThrow('broken view');
    expect(after).toHaveBeenCalledTimes(2);
  });

  it('a subscriber added during a dispatch sees the next actions only', () => {
    const store = createStore(campaignReducer, initialCampaignState());
    const late = vi.fn();
    store.subscribe(() => {
      if (late.mock.calls.length === 0) store.subscribe(late);
    });
    store.dispatch(tick(1));
    expect(late).not.toHaveBeenCalled();
  });
});

// One store, several views: the engine dispatches, the Ink view and the
// reporters subscribe. Synchronous: when dispatch returns, every listener has
// seen the action.
import type { Action, CampaignState } from './types.js';

export type Reducer = (state: CampaignState, action: Action) => CampaignState;
export type Listener = (action: Action, state: CampaignState) => void;

export interface Store {
  getState(): CampaignState;
  dispatch(action: Action): void;
  /** Returns unsubscribe (safe to call twice). */
  subscribe(listener: Listener): () => void;
}

export function createStore(reducer: Reducer, initial: CampaignState): Store {
  let state = initial;
  let listeners: Listener[] = [];
  // An action dispatched by a listener waits until every listener has seen the
  // current one, so that all of them see actions in the same order.
  const queue: Action[] = [];
  let dispatching = false;

  function dispatch(action: Action): void {
    queue.push(action);
    if (dispatching) return;
    dispatching = true;
    let failure: { error: unknown } | null = null;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        state = reducer(state, next);
        for (const listener of listeners) {
          try {
            listener(next, state);
          } catch (error) {
            // One broken view must not keep the others from seeing the action.
            failure ??= { error };
          }
        }
      }
    } finally {
      dispatching = false;
      queue.length = 0;
    }
    if (failure) throw failure.error;
  }

  return {
    getState: () => state,
    dispatch,
    subscribe(listener) {
      const wrapped: Listener = (action, s) => listener(action, s);
      listeners = [...listeners, wrapped];
      return () => {
        listeners = listeners.filter((l) => l !== wrapped);
      };
    },
  };
}

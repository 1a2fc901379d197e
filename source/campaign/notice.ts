// How the engine's parts say something to the user: a `notice` action.
import type { Action } from '../state/types.js';

export type NoticeLevel = 'info' | 'warn' | 'error';
export type Notify = (level: NoticeLevel, message: string) => void;

export function noticeTo(dispatch: (action: Action) => void, now: () => number): Notify {
  return (level, message) => dispatch({ type: 'notice', at: now(), level, message });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Which experiments run now (several at once with --gpus), their output rings
// and the followed one. Pure helpers of the experiment reducer: the rings kept
// are the running experiments' and the one that ended last, nothing more.
import { emptyLog, type LogRing } from './logRing.js';
import type { CampaignState } from './types.js';

/** The ring an experiment's output goes to: the kept one, the followed one, or a fresh one. */
export function ringOf(state: CampaignState, expId: string): LogRing {
  return state.logs[expId] ?? (state.log.expId === expId ? state.log : emptyLog(expId));
}

/** `expId` starts (again): it runs, it is followed, its ring is `ring`. */
export function startRunning(state: CampaignState, expId: string, ring: LogRing): Partial<CampaignState> {
  return {
    running: [...state.running.filter((id) => id !== expId), expId],
    logs: { ...state.logs, [expId]: ring },
    currentExpId: expId,
    log: ring,
  };
}

/**
 * New output in `expId`'s ring. The followed log takes it when it is that
 * experiment's, or when at most one runs (one slot: whatever prints is
 * followed, as always). A ring not kept yet becomes the "ended last" one.
 */
export function withOutput(state: CampaignState, expId: string, ring: LogRing): Partial<CampaignState> {
  const kept = expId in state.logs || state.running.includes(expId);
  const logs = kept ? { ...state.logs, [expId]: ring } : { ...keepOnly(state.logs, state.running), [expId]: ring };
  const follow = state.log.expId === expId || state.running.length <= 1;
  return { logs, log: follow ? ring : state.log };
}

/**
 * `expId` stops running (finished, or waiting to retry). Its ring stays as the
 * one that ended last; rings of experiments that ended before go. When it was
 * followed and others still run, the latest started of them is followed;
 * when it ran alone, `whenAlone` says what is followed (null after a finish,
 * the same one while it waits to retry).
 */
export function stopRunning(state: CampaignState, expId: string, whenAlone: 'clear' | 'keep'): Partial<CampaignState> {
  const running = state.running.filter((id) => id !== expId);
  const logs = keepOnly(state.logs, [...running, expId]);
  if (state.currentExpId !== expId) return { running, logs };
  const next = running.at(-1);
  if (next !== undefined) return { running, logs, currentExpId: next, log: logs[next] ?? emptyLog(next) };
  return { running, logs, currentExpId: whenAlone === 'clear' ? null : expId };
}

function keepOnly(logs: Record<string, LogRing>, ids: readonly string[]): Record<string, LogRing> {
  const out: Record<string, LogRing> = {};
  for (const id of ids) {
    const ring = logs[id];
    if (ring) out[id] = ring;
  }
  return out;
}

/** Slots are 0-based; an action without one is about slot 0 (one slot). */
export const slotOf = (slot: number | undefined): number => slot ?? 0;

/** The gaps without `slot`'s, and the one a single-gap view shows (the lowest slot's). */
export function withoutGap(state: CampaignState, slot: number): Pick<CampaignState, 'gaps' | 'gap'> {
  if (!(slot in state.gaps)) return { gaps: state.gaps, gap: firstGap(state.gaps) };
  const gaps = { ...state.gaps };
  delete gaps[slot];
  return { gaps, gap: firstGap(gaps) };
}

export function firstGap(gaps: CampaignState['gaps']): CampaignState['gap'] {
  const slots = Object.keys(gaps)
    .map(Number)
    .sort((a, b) => a - b);
  return slots.length ? gaps[slots[0]!]! : null;
}

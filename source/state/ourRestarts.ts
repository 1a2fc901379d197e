// Restarts lem-tui makes itself (residual GPU memory, the health check,
// restart_on_failure, cold start, the user's r) end the service's container
// with a kill: the engine reports exit 137, as it would a crash. The engine
// says why before it restarts (`service/restarting`); the next exit of that
// service is then ours, and the views say "restarted by lem-tui (why)"
// instead of a bare 137. Pure helpers of the reducer.
import type { ContainerState } from '../domain/containerState.js';
import type { CampaignState } from './types.js';

/** What lem-tui knows of its own restarts of one service. */
export interface OurRestart {
  /** A restart said and not yet seen: the service's next exit (within SAID_FOR_MS) is ours, for this reason. */
  pending: string | null;
  /** When it was said. */
  saidAt: number;
  /** Why lem-tui ended the service's last container ("residual memory"); null: its last exit was not ours. */
  lastExit: string | null;
}

/**
 * How long a word holds: a restart kills within seconds. One that failed
 * before its kill (refused during teardown, say) must not make a later
 * crash look like ours.
 */
export const SAID_FOR_MS = 60_000;

/** lem-tui is about to restart `service` (`why`: "residual memory"), at `at`. */
export function restarting(state: CampaignState, service: string, why: string, at: number): CampaignState {
  const before = state.ourRestarts[service] ?? { pending: null, saidAt: at, lastExit: null };
  return { ...state, ourRestarts: { ...state.ourRestarts, [service]: { ...before, pending: why, saidAt: at } } };
}

const ended = (s: ContainerState | undefined): boolean => s !== undefined && (s.status === 'exited' || s.status === 'stopped' || s.status === 'error');

/**
 * A new container state of a service: a new exit (the container ended, or its
 * exit code changed) is ours when a restart was said, else the last exit is
 * not ours any more. The word holds until the service runs again: one kill
 * may reach the state as several exits (an exit without its code, then the
 * code; compose v1 reports it in steps), and each is the same restart. A
 * restart of a service that had already ended needs no kill: it is over once
 * the service runs again.
 */
export function afterServiceState(state: CampaignState, before: ContainerState | undefined, next: ContainerState, at: number): CampaignState['ourRestarts'] {
  const ours = state.ourRestarts[next.service];
  if (!ours) return state.ourRestarts;
  const newExit = (ended(next) && !ended(before)) || (next.lastExitCode !== null && next.lastExitCode !== (before?.lastExitCode ?? null));
  if (newExit) {
    const said = ours.pending !== null && at - ours.saidAt <= SAID_FOR_MS ? ours.pending : null;
    return { ...state.ourRestarts, [next.service]: { ...ours, lastExit: said } };
  }
  if (ours.pending && next.status === 'running' && before?.status !== 'running') {
    return { ...state.ourRestarts, [next.service]: { ...ours, pending: null } };
  }
  return state.ourRestarts;
}

/** "restarted by lem-tui (residual memory)" when the service's last exit was a restart of ours; else null. */
export function ourLastExit(state: CampaignState, service: string): string | null {
  const why = state.ourRestarts[service]?.lastExit ?? null;
  return why === null ? null : `restarted by lem-tui (${why})`;
}

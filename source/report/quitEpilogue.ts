// The lines printed under the TUI's last frame when a run was stopped (q,
// Ctrl-C, a signal): that frame still shows the run as it was being torn
// down ("Tearing down…, Ctrl-C again to force"), so these say what happened
// in the end: stopped, what was saved, how to go on, the exit code. Pure.
import { selectProgress } from '../state/selectors.js';
import type { CampaignState } from '../state/types.js';
import { shellQuote } from '../domain/shellQuote.js';

export function quitEpilogue(state: CampaignState, resumeArgv: string[], exitCode: number): string[] {
  const p = selectProgress(state);
  const why = state.stopReason ?? 'stopped';
  const left = state.leftRunning.length > 0 ? ` · left running: ${state.leftRunning.join(', ')}` : '';
  return [
    `lem-tui: stopped (${why}): ${p.completed} of ${p.total} completed, ${p.failed} failed${left}`,
    `manifest saved: ${state.meta?.manifestPath ?? '-'}`,
    `continue with: ${shellQuote(resumeArgv)}`,
    `exit code ${exitCode}`,
  ];
}

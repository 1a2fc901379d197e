// What only the view knows (selection, open dialog, log pane) and how a key
// changes it. Pure: returns the next UI state and the commands to send.
import { selectCurrent } from '../state/selectors.js';
import type { CampaignState, Command, ExperimentView } from '../state/types.js';
import { actionFor, type Screen } from './keymap.js';

export type Dialog =
  | { kind: 'teardown' }
  | { kind: 'restart'; service: string; experiment: ExperimentView };

export interface UiState {
  /** Selected service by name (null: the first one). */
  selected: string | null;
  showLog: boolean;
  help: boolean;
  dialog: Dialog | null;
  /** q / Ctrl-C presses so far: the first quits cleanly, later ones force. */
  quitPresses: number;
  /**
   * Scrolled back: the absolute number (dropped + index + 1) of the last log
   * line shown, so the view holds still while lines arrive. null = following.
   */
  logEnd: number | null;
  /** The confirm screen was answered (further answers are ignored). */
  answered: boolean;
}

export const initialUi: UiState = {
  selected: null,
  showLog: true,
  help: false,
  dialog: null,
  quitPresses: 0,
  logEnd: null,
  answered: false,
};

export function screenFor(state: CampaignState): Screen {
  if (state.phase === 'confirm') return 'confirm';
  if (state.phase === 'finished') return 'summary';
  return 'run';
}

export function selectedService(ui: UiState, state: CampaignState): string | null {
  if (ui.selected !== null && state.serviceOrder.includes(ui.selected)) return ui.selected;
  return state.serviceOrder[0] ?? null;
}

export function runningExperiment(state: CampaignState): ExperimentView | null {
  const exp = selectCurrent(state);
  return exp && exp.status === 'running' ? exp : null;
}

export interface KeyResult {
  ui: UiState;
  commands: Command[];
}

/** Lines a PgUp/PgDn moves the log by. */
export interface KeyContext {
  screen: Screen;
  logPage: number;
}

export function reduceKey(ui: UiState, name: string, state: CampaignState, ctx: KeyContext): KeyResult {
  const none = (next: UiState = ui): KeyResult => ({ ui: next, commands: [] });
  const quit = (): KeyResult => {
    const presses = ui.quitPresses + 1;
    return {
      ui: { ...ui, quitPresses: presses, dialog: null, help: false },
      commands: [{ type: 'quit', force: presses > 1 }],
    };
  };

  // Ctrl-C always wins: a dialog or the help overlay must not swallow it.
  if (name === 'ctrl-c' && (ctx.screen !== 'confirm' || ui.answered)) return quit();

  if (ui.dialog) {
    const action = actionFor('dialog', name);
    if (action === 'dialogYes') {
      const cmd: Command =
        ui.dialog.kind === 'teardown' ? { type: 'teardown' } : { type: 'restartService', service: ui.dialog.service };
      return { ui: { ...ui, dialog: null }, commands: [cmd] };
    }
    // Both dialogs default to No: Enter, n and Esc close them without a command.
    if (action === 'dialogNo' || action === 'dialogDefault') return none({ ...ui, dialog: null });
    return none();
  }

  if (ui.help) {
    if (name === '?' || name === 'esc') return none({ ...ui, help: false });
    return none();
  }

  const stopping = state.phase === 'stopping' || ui.quitPresses > 0;
  switch (actionFor(ctx.screen, name)) {
    case 'confirmYes':
      if (ui.answered) return none();
      return { ui: { ...ui, answered: true }, commands: [{ type: 'confirm', answer: true }] };
    case 'confirmNo':
      if (ui.answered) return none();
      return {
        ui: { ...ui, answered: true, quitPresses: name === 'ctrl-c' ? 1 : ui.quitPresses },
        commands: [{ type: 'confirm', answer: false }],
      };
    case 'select': {
      const order = state.serviceOrder;
      if (order.length === 0) return none();
      const at = Math.max(0, order.indexOf(selectedService(ui, state) ?? ''));
      const step = name === 'up' || name === 'k' ? -1 : 1;
      const next = Math.min(order.length - 1, Math.max(0, at + step));
      return none({ ...ui, selected: order[next] ?? null });
    }
    case 'restart': {
      const service = selectedService(ui, state);
      if (service === null || stopping) return none();
      const running = runningExperiment(state);
      if (running && running.service === service) {
        return none({ ...ui, dialog: { kind: 'restart', service, experiment: running } });
      }
      return { ui, commands: [{ type: 'restartService', service }] };
    }
    case 'teardown':
      // Local dispatch has no compose project: nothing to tear down.
      if (!state.meta?.composeProject) return none();
      if (stopping && ctx.screen === 'run') return none();
      if (ctx.screen === 'summary' && state.leftRunning.length === 0) return none();
      return none({ ...ui, dialog: { kind: 'teardown' } });
    case 'skip':
      if (stopping || runningExperiment(state) === null) return none();
      return { ui, commands: [{ type: 'skipCurrent' }] };
    case 'pause':
      if (stopping) return none();
      return { ui, commands: [{ type: 'togglePause' }] };
    case 'logs':
      return none({ ...ui, showLog: !ui.showLog });
    case 'logScroll': {
      const page = Math.max(1, ctx.logPage);
      const { lines, dropped } = state.log;
      const total = dropped + lines.length;
      const base = ui.logEnd !== null && ui.logEnd <= total ? ui.logEnd : total;
      if (name === 'pageup') {
        const oldest = dropped + Math.min(page, lines.length);
        return none({ ...ui, logEnd: Math.min(total, Math.max(oldest, base - page)) });
      }
      const next = base + page;
      return none({ ...ui, logEnd: ui.logEnd === null || next >= total ? null : next });
    }
    case 'logFollow':
      return none({ ...ui, logEnd: null });
    case 'help':
      return none({ ...ui, help: true });
    case 'quit':
      return quit();
    default:
      return none();
  }
}

// What only the view knows (selection, open dialog, log pane) and how a key
// changes it. Pure: returns the next UI state and the commands to send.
import { selectRunningOn } from '../state/busyServices.js';
import { selectCurrent } from '../state/selectors.js';
import type { CampaignState, Command, ExperimentView, Question } from '../state/types.js';
import { hasScheduler, moveJobSelection, resubmitConfirmed, resubmitKey, type JobKeyResult, type ResubmitDialog } from './jobs/jobKeys.js';
import { actionFor, type Screen } from './keymap.js';

export type Dialog =
  | { kind: 'teardown' }
  | { kind: 'restart'; service: string; experiment: ExperimentView }
  /** --dispatch slurm: resubmit the job of a running experiment. */
  | ResubmitDialog;

export interface UiState {
  /** Selected service by name (null: the first one). */
  selected: string | null;
  /** --dispatch slurm: the selected job by id (null, or no longer a row: the first one). */
  selectedJob: string | null;
  /** Why the last key did nothing ("Job 12 has ended…"), shown until the next key. */
  hint: string | null;
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
  /** The question (state.question, the very object) that was answered or quit: it waits for the next one. */
  answeredQuestion: Question | null;
  /** The running experiment chosen with [ and ] for the log pane (and s); null, or not running: the state's followed one. */
  followed: string | null;
}

export const initialUi: UiState = {
  selected: null,
  selectedJob: null,
  hint: null,
  showLog: true,
  help: false,
  dialog: null,
  quitPresses: 0,
  logEnd: null,
  answered: false,
  answeredQuestion: null,
  followed: null,
};

export function screenFor(state: CampaignState): Screen {
  // A question comes first: it is asked before anything starts, maybe before the plan is known.
  if (state.question) return 'question';
  if (state.phase === 'confirm') return 'confirm';
  if (state.phase === 'finished') return 'summary';
  return 'run';
}

/** The question on screen has been answered: waiting for the next step. */
export function questionAnswered(ui: UiState, state: CampaignState): boolean {
  return state.question !== null && ui.answeredQuestion === state.question;
}

export function selectedService(ui: UiState, state: CampaignState): string | null {
  if (ui.selected !== null && state.serviceOrder.includes(ui.selected)) return ui.selected;
  return state.serviceOrder[0] ?? null;
}

export function runningExperiment(state: CampaignState): ExperimentView | null {
  const exp = selectCurrent(state);
  return exp && exp.status === 'running' ? exp : null;
}

/** The running experiment the log pane shows and `s` skips: the one chosen with [ ], else the state's followed one. */
export function selectedRunning(ui: UiState, state: CampaignState): ExperimentView | null {
  const chosen = chosenRunning(ui, state);
  if (chosen !== null) return state.experiments.find((e) => e.expId === chosen) ?? null;
  return runningExperiment(state);
}

/** The log the pane shows: the chosen running experiment's ring, else the state's followed log (as with one slot). */
export function shownLog(ui: UiState, state: CampaignState): CampaignState['log'] {
  const chosen = chosenRunning(ui, state);
  return (chosen !== null ? state.logs[chosen] : undefined) ?? state.log;
}

function chosenRunning(ui: UiState, state: CampaignState): string | null {
  return ui.followed !== null && state.running.includes(ui.followed) ? ui.followed : null;
}

/** [ and ]: the previous or next running experiment, in start order, wrapping; the log follows its end. */
function followKey(ui: UiState, state: CampaignState, step: -1 | 1): KeyResult {
  const order = state.running;
  if (order.length === 0) return none(ui);
  const shown = chosenRunning(ui, state) ?? (state.log.expId !== null && order.includes(state.log.expId) ? state.log.expId : state.currentExpId);
  const at = shown === null ? -1 : order.indexOf(shown);
  const next = at < 0 ? (step > 0 ? 0 : order.length - 1) : (at + step + order.length) % order.length;
  return none({ ...ui, followed: order[next] ?? null, logEnd: null });
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

export function reduceKey(given: UiState, name: string, state: CampaignState, ctx: KeyContext): KeyResult {
  // A hint lasts until the next key.
  const ui = given.hint === null ? given : { ...given, hint: null };
  if (ctx.screen === 'question' && state.question) return questionKey(ui, name, state.question);
  // Ctrl-C always wins: a dialog or the help overlay must not swallow it.
  if (name === 'ctrl-c' && (ctx.screen !== 'confirm' || ui.answered)) return quit(ui);
  if (ui.dialog) return dialogKey(ui, ui.dialog, name, state);
  if (ui.help) return name === '?' || name === 'esc' ? none({ ...ui, help: false }) : none(ui);
  return screenKey(ui, name, state, ctx);
}

/** A jobs-panel key (jobs/jobKeys.ts) on the view: its hint (if any) and its dialog (or none) replace the view's. */
function jobKeyResult(ui: UiState, result: JobKeyResult): KeyResult {
  return { ui: { ...ui, hint: result.hint ?? ui.hint, dialog: result.dialog }, commands: result.commands };
}

function none(ui: UiState): KeyResult {
  return { ui, commands: [] };
}

/** The first press quits cleanly, later ones force. */
function quit(ui: UiState): KeyResult {
  const presses = ui.quitPresses + 1;
  return {
    ui: { ...ui, quitPresses: presses, dialog: null, help: false },
    commands: [{ type: 'quit', force: presses > 1 }],
  };
}

function dialogKey(ui: UiState, dialog: Dialog, name: string, state: CampaignState): KeyResult {
  const action = actionFor('dialog', name);
  if (action === 'dialogYes') {
    if (dialog.kind === 'resubmit') return jobKeyResult(ui, resubmitConfirmed(state, dialog));
    const cmd: Command = dialog.kind === 'teardown' ? { type: 'teardown' } : { type: 'restartService', service: dialog.service };
    return { ui: { ...ui, dialog: null }, commands: [cmd] };
  }
  // Every dialog defaults to No: Enter, n and Esc close them without a command.
  if (action === 'dialogNo' || action === 'dialogDefault') return none({ ...ui, dialog: null });
  return none(ui);
}

/** A key on the screen itself (no dialog, no help open). */
function screenKey(ui: UiState, name: string, state: CampaignState, ctx: KeyContext): KeyResult {
  const stopping = state.phase === 'stopping' || ui.quitPresses > 0;
  switch (actionFor(ctx.screen, name)) {
    case 'confirmYes':
      return confirmKey(ui, true, name);
    case 'confirmNo':
      return confirmKey(ui, false, name);
    case 'select': {
      const step = name === 'up' || name === 'k' ? -1 : 1;
      if (hasScheduler(state)) return none({ ...ui, selectedJob: moveJobSelection(ui.selectedJob, state, step) });
      return none({ ...ui, selected: moveSelection(ui, state, step) });
    }
    case 'restart':
      if (stopping) return none(ui);
      return hasScheduler(state) ? jobKeyResult(ui, resubmitKey(ui.selectedJob, state)) : restartKey(ui, state);
    case 'teardown':
      return none(teardownAllowed(state, ctx.screen, stopping) ? { ...ui, dialog: { kind: 'teardown' } } : ui);
    case 'skip': {
      const exp = stopping ? null : selectedRunning(ui, state);
      return exp ? { ui, commands: [{ type: 'skipCurrent', expId: exp.expId }] } : none(ui);
    }
    case 'pause':
      return stopping ? none(ui) : { ui, commands: [{ type: 'togglePause' }] };
    case 'logs':
      return none({ ...ui, showLog: !ui.showLog });
    case 'logScroll':
      return none({ ...ui, logEnd: scrollLog(ui.logEnd, shownLog(ui, state), name === 'pageup' ? -1 : 1, ctx.logPage) });
    case 'logFollow':
      return none({ ...ui, logEnd: null });
    case 'followRunning':
      return followKey(ui, state, name === '[' ? -1 : 1);
    case 'help':
      return none({ ...ui, help: true });
    case 'quit':
      return quit(ui);
    default:
      return none(ui);
  }
}

/**
 * y, n or Enter answer once; q, Esc and Ctrl-C quit (nothing has started).
 * After the answer only Ctrl-C does something: quit, then force.
 */
function questionKey(ui: UiState, name: string, question: Question): KeyResult {
  const answered = (next: UiState): UiState => ({ ...next, answeredQuestion: question, dialog: null });
  if (name === 'ctrl-c') return quit(answered(ui));
  if (ui.help) return name === '?' || name === 'esc' ? none({ ...ui, help: false }) : none(ui);
  if (ui.answeredQuestion === question) return none(ui);
  const answer = (yes: boolean): KeyResult => ({ ui: answered(ui), commands: [{ type: 'answer', answer: yes }] });
  switch (actionFor('question', name)) {
    case 'questionYes':
      return answer(true);
    case 'questionNo':
      return answer(false);
    case 'questionDefault':
      return answer(question.defaultYes);
    case 'questionQuit':
      return quit(answered(ui));
    case 'help':
      return none({ ...ui, help: true });
    default:
      return none(ui);
  }
}

/** The persistent-mode start screen takes one answer; Ctrl-C as the answer counts as a quit press. */
function confirmKey(ui: UiState, answer: boolean, name: string): KeyResult {
  if (ui.answered) return none(ui);
  return {
    ui: { ...ui, answered: true, quitPresses: name === 'ctrl-c' ? 1 : ui.quitPresses },
    commands: [{ type: 'confirm', answer }],
  };
}

function moveSelection(ui: UiState, state: CampaignState, step: -1 | 1): string | null {
  const order = state.serviceOrder;
  if (order.length === 0) return ui.selected;
  const at = Math.max(0, order.indexOf(selectedService(ui, state) ?? ''));
  return order[Math.min(order.length - 1, Math.max(0, at + step))] ?? null;
}

/** Restarting the service of the running experiment interrupts it: ask first. */
function restartKey(ui: UiState, state: CampaignState): KeyResult {
  const service = selectedService(ui, state);
  if (service === null) return none(ui);
  // By the service each attempt runs in (with --gpus a row is a slot's own, "pytorch-gpu1").
  const running = selectRunningOn(state, service);
  if (running) {
    return none({ ...ui, dialog: { kind: 'restart', service, experiment: running } });
  }
  return { ui, commands: [{ type: 'restartService', service }] };
}

function teardownAllowed(state: CampaignState, screen: Screen, stopping: boolean): boolean {
  // Local dispatch has no compose project: nothing to tear down (with Slurm: the jobs to cancel).
  if (!state.meta?.composeProject && !hasScheduler(state)) return false;
  if (stopping && screen === 'run') return false;
  return !(screen === 'summary' && state.leftRunning.length === 0);
}

/** PgUp/PgDn: the new last line shown, or null to follow again once the end is reached. */
function scrollLog(logEnd: number | null, log: CampaignState['log'], direction: -1 | 1, logPage: number): number | null {
  const page = Math.max(1, logPage);
  const { lines, dropped } = log;
  const total = dropped + lines.length;
  const base = logEnd !== null && logEnd <= total ? logEnd : total;
  if (direction < 0) {
    const oldest = dropped + Math.min(page, lines.length);
    return Math.min(total, Math.max(oldest, base - page));
  }
  const next = base + page;
  return logEnd === null || next >= total ? null : next;
}

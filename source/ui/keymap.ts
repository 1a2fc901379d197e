// The one key table: the key bar, the `?` help overlay, the key handler and
// the README's key table all read it (test/ui/keymap.test.tsx checks they agree).
import type { Key } from 'ink';

export type Screen = 'question' | 'confirm' | 'run' | 'summary';
/** Where a binding applies: a screen, or any open yes/no dialog. */
export type KeyScope = Screen | 'dialog';

export type KeyAction =
  | 'questionYes'
  | 'questionNo'
  | 'questionDefault'
  | 'questionQuit'
  | 'confirmYes'
  | 'confirmNo'
  | 'select'
  | 'restart'
  | 'teardown'
  | 'skip'
  | 'pause'
  | 'logs'
  | 'logScroll'
  | 'logFollow'
  | 'followRunning'
  | 'help'
  | 'quit'
  | 'dialogYes'
  | 'dialogNo'
  | 'dialogDefault';

export interface KeyBinding {
  action: KeyAction;
  /** Key names as `keyName()` returns them: a character, or up/down/enter/esc/ctrl-c/pageup/pagedown/end. */
  keys: string[];
  /** One word or two for the key bar. */
  label: string;
  /** A sentence for the help overlay and the README (at most 60 characters, to fit 80 columns). */
  description: string;
  scopes: KeyScope[];
  /** Shown in the key bar (the help overlay shows every binding). */
  bar: boolean;
  /** How the key bar writes the keys when all of them (joined with /) are too long. */
  barKeys?: string;
  /** With a Slurm scheduler (--dispatch slurm): its label and description then; `readme`: what its README row adds (default: the description). */
  slurm?: { label: string; description: string; readme?: string };
}

export const KEYMAP: readonly KeyBinding[] = [
  {
    action: 'questionYes',
    keys: ['y'],
    label: 'yes',
    description: 'Answer yes',
    scopes: ['question'],
    bar: true,
  },
  {
    action: 'questionNo',
    keys: ['n'],
    label: 'no',
    description: 'Answer no',
    scopes: ['question'],
    bar: true,
  },
  {
    action: 'questionDefault',
    keys: ['enter'],
    label: 'default',
    description: 'Take the default answer (the one in capitals)',
    scopes: ['question'],
    bar: true,
  },
  {
    action: 'questionQuit',
    keys: ['q', 'esc', 'ctrl-c'],
    label: 'quit',
    description: 'Quit without answering; nothing has been started',
    scopes: ['question'],
    bar: true,
  },
  {
    action: 'confirmYes',
    keys: ['y', 'enter'],
    label: 'start',
    description: 'Start the services and run the campaign (the default)',
    scopes: ['confirm'],
    bar: true,
  },
  {
    action: 'confirmNo',
    keys: ['n', 'esc', 'ctrl-c'],
    label: 'quit',
    description: 'Quit; nothing has been started',
    scopes: ['confirm'],
    bar: true,
  },
  {
    action: 'select',
    keys: ['up', 'down', 'k', 'j'],
    barKeys: '↑↓ jk',
    label: 'select',
    description: 'Select a service (↑/k up, ↓/j down)',
    scopes: ['run'],
    bar: true,
    slurm: { label: 'select', description: 'Select a job (↑/k up, ↓/j down)', readme: 'a job' },
  },
  {
    action: 'restart',
    keys: ['r'],
    label: 'restart',
    description: 'Restart the selected service (asks if it interrupts a run)',
    scopes: ['run'],
    bar: true,
    slurm: { label: 'resubmit', description: 'Resubmit the selected job (asks if it runs)' },
  },
  {
    action: 'teardown',
    keys: ['t'],
    label: 'teardown',
    description: 'Stop and remove all services (compose down), after a confirm',
    scopes: ['run', 'summary'],
    bar: true,
    slurm: { label: 'teardown', description: 'Cancel every job of the campaign (scancel), after a confirm', readme: 'cancel every job of the campaign (scancel)' },
  },
  {
    action: 'skip',
    keys: ['s'],
    label: 'skip',
    description: 'Skip the running experiment (the one in the log pane)',
    scopes: ['run'],
    bar: true,
  },
  {
    action: 'pause',
    keys: ['p'],
    label: 'pause',
    description: 'Pause after the current experiment; press again to resume',
    scopes: ['run'],
    bar: true,
  },
  {
    action: 'logs',
    keys: ['l'],
    label: 'logs',
    description: 'Show or hide the log pane',
    scopes: ['run'],
    bar: true,
  },
  {
    action: 'logScroll',
    keys: ['pageup', 'pagedown'],
    label: 'scroll log',
    description: 'Scroll the log back or forward (stops following)',
    scopes: ['run'],
    bar: false,
  },
  {
    action: 'logFollow',
    keys: ['end'],
    label: 'follow log',
    description: 'Follow the log again',
    scopes: ['run'],
    bar: false,
  },
  {
    action: 'followRunning',
    keys: ['[', ']'],
    label: 'follow',
    description: 'Show the previous or next running experiment (--gpus)',
    scopes: ['run'],
    bar: false,
  },
  {
    action: 'help',
    keys: ['?'],
    label: 'help',
    description: 'Show or hide this list of keys',
    scopes: ['question', 'confirm', 'run', 'summary'],
    bar: true,
  },
  {
    action: 'quit',
    keys: ['q', 'ctrl-c'],
    barKeys: 'q',
    label: 'quit',
    description: 'Quit: stop cleanly, tear down, save; again to force',
    scopes: ['run', 'summary'],
    bar: true,
  },
  {
    action: 'dialogYes',
    keys: ['y'],
    label: 'yes',
    description: 'Answer yes',
    scopes: ['dialog'],
    bar: true,
  },
  {
    action: 'dialogNo',
    keys: ['n', 'esc'],
    label: 'no',
    description: 'Answer no',
    scopes: ['dialog'],
    bar: true,
  },
  {
    action: 'dialogDefault',
    keys: ['enter'],
    label: 'default',
    description: 'Take the default answer (the one in capitals)',
    scopes: ['dialog'],
    bar: true,
  },
];

const DISPLAY: Record<string, string> = {
  up: '↑',
  down: '↓',
  enter: 'Enter',
  esc: 'Esc',
  'ctrl-c': 'Ctrl-C',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  end: 'End',
};

/** How a key name is written for people: `up` → `↑`, `ctrl-c` → `Ctrl-C`. */
export function displayKey(name: string): string {
  return DISPLAY[name] ?? name;
}

/** All keys of a binding as one string: "↑/↓/k/j", "q/Ctrl-C" (help overlay). */
export function displayKeys(binding: KeyBinding): string {
  return binding.keys.map(displayKey).join('/');
}

/** The keys as the key bar writes them: "↑↓ jk", "q". */
export function barKeys(binding: KeyBinding): string {
  return binding.barKeys ?? displayKeys(binding);
}

/** Normalises an Ink key event to a key name, or null for keys we do not bind. */
export function keyName(input: string, key: Key): string | null {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.end) return 'end';
  if (key.ctrl || key.meta) return null;
  return input.length === 1 ? input : null;
}

/** The bindings of a scope; `slurm` (a scheduler is set): as they read with Slurm. */
export function bindingsFor(scope: KeyScope, slurm = false): KeyBinding[] {
  const bindings = KEYMAP.filter((b) => b.scopes.includes(scope));
  return slurm ? bindings.map((b) => (b.slurm ? { ...b, ...b.slurm } : b)) : bindings;
}

/** A README row's action: the description, and what the key does with Slurm when that differs. */
export function markdownDescription(b: KeyBinding): string {
  if (!b.slurm) return b.description;
  const d = b.slurm.description;
  return `${b.description}; with Slurm: ${b.slurm.readme ?? d[0]!.toLowerCase() + d.slice(1)}`;
}

export function actionFor(scope: KeyScope, name: string): KeyAction | null {
  return bindingsFor(scope).find((b) => b.keys.includes(name))?.action ?? null;
}

export const SCOPE_TITLES: Record<KeyScope, string> = {
  question: 'A question before the start (resume?)',
  confirm: 'Start screen (persistent mode)',
  run: 'While running',
  summary: 'Summary',
  dialog: 'In a yes/no dialog',
};

/** The key table as Markdown, for the README. */
export function keymapMarkdown(): string {
  const scopes: KeyScope[] = ['question', 'confirm', 'run', 'dialog', 'summary'];
  const out: string[] = [];
  for (const scope of scopes) {
    out.push(`### ${SCOPE_TITLES[scope]}`, '', '| Key | Action |', '| --- | --- |');
    for (const b of bindingsFor(scope)) {
      const keys = b.keys.map((k) => '`' + displayKey(k) + '`').join(' ');
      out.push(`| ${keys} | ${markdownDescription(b)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

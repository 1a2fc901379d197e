import React from 'react';
import { afterEach, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { keyBarItems } from '../../source/ui/KeyBar.js';
import { helpSections } from '../../source/ui/overlays/HelpOverlay.js';
import {
  actionFor,
  barKeys,
  bindingsFor,
  displayKey,
  displayKeys,
  KEYMAP,
  keymapMarkdown,
  markdownDescription,
  type Screen,
} from '../../source/ui/keymap.js';
import { press, renderAt, stripAnsi } from './helpers.js';
import { confirmState, questionState, runState, summaryState } from './fixtures.js';

afterEach(() => cleanup());

const SCREENS: [Screen, () => ReturnType<typeof runState>][] = [
  ['question', questionState],
  ['confirm', confirmState],
  ['run', runState],
  ['summary', summaryState],
];

test('no key is bound twice in one scope', () => {
  for (const scope of ['question', 'confirm', 'run', 'summary', 'dialog'] as const) {
    const keys = bindingsFor(scope).flatMap((b) => b.keys);
    expect(new Set(keys).size, scope).toBe(keys.length);
  }
});

test('descriptions fit the help overlay at 80 columns', () => {
  for (const b of KEYMAP) expect(b.description.length, b.description).toBeLessThanOrEqual(60);
});

test('the keys the brief asks for are bound', () => {
  const run = (k: string) => actionFor('run', k);
  expect([run('up'), run('down'), run('j'), run('k')]).toEqual(['select', 'select', 'select', 'select']);
  expect([run('r'), run('t'), run('s'), run('p'), run('l'), run('?'), run('q'), run('ctrl-c')]).toEqual([
    'restart',
    'teardown',
    'skip',
    'pause',
    'logs',
    'help',
    'quit',
    'quit',
  ]);
  expect(run('esc')).toBeNull();
  expect([actionFor('confirm', 'y'), actionFor('confirm', 'enter')]).toEqual(['confirmYes', 'confirmYes']);
  expect([actionFor('confirm', 'n'), actionFor('confirm', 'esc')]).toEqual(['confirmNo', 'confirmNo']);
  expect(actionFor('summary', 'q')).toBe('quit');
  const question = (k: string) => actionFor('question', k);
  expect([question('y'), question('n'), question('enter')]).toEqual(['questionYes', 'questionNo', 'questionDefault']);
  expect([question('q'), question('esc'), question('ctrl-c'), question('?')]).toEqual([
    'questionQuit',
    'questionQuit',
    'questionQuit',
    'help',
  ]);
});

for (const [screen, make] of SCREENS) {
  test(`${screen}: the key bar and the help overlay show what the keymap says`, async () => {
    const r = await renderAt(<App state={make()} sendCommand={() => {}} color={false} />, 120, 40);
    const bar = stripAnsi(r.lastFrame() ?? '').split('\n').at(-1) ?? '';
    const expected = bindingsFor(screen).filter((b) => b.bar);
    // Every bar binding of the screen is in the bar at 120 columns, as the keymap writes it, and nothing else.
    expect(bar).toBe(expected.map((b) => `${barKeys(b)} ${b.label}`).join('  '));
    expect(keyBarItems(screen, 120)).toHaveLength(expected.length);

    await press(r.stdin, '?');
    const help = stripAnsi(r.lastFrame() ?? '');
    const scopes = helpSections(screen).map((s) => s.scope);
    for (const scope of scopes) {
      for (const b of bindingsFor(scope)) {
        expect(help, `${scope}: ${b.description}`).toMatch(
          new RegExp(`${escape(displayKeys(b))} +${escape(b.description)}`),
        );
      }
    }
    // And the help lists nothing the keymap does not have.
    const rows = help.split('\n').filter((l) => /^│ {3}\S/.test(l));
    expect(rows).toHaveLength(scopes.reduce((n, s) => n + bindingsFor(s).length, 0));
  });
}

test('at 80 columns the bar drops optional items from the end, keeping help and quit', () => {
  const items = keyBarItems('run', 40);
  expect(items.map((i) => i.label)).toContain('help');
  expect(items.map((i) => i.label)).toContain('quit');
  expect(items.reduce((n, i) => n + i.keys.length + 1 + i.label.length + 2, -2)).toBeLessThanOrEqual(40);
});

test('the README table lists every binding of every scope', () => {
  const md = keymapMarkdown();
  for (const b of KEYMAP) {
    expect(md).toContain(`| ${b.keys.map((k) => '`' + displayKey(k) + '`').join(' ')} | ${markdownDescription(b)} |`);
    expect(markdownDescription(b).startsWith(b.description)).toBe(true);
  }
  expect(md).toContain('### While running');
});

test('with Slurm the select, r and t rows say what they do then (key bar, help, README)', () => {
  const md = keymapMarkdown();
  expect(md).toContain('| `r` | Restart the selected service (asks if it interrupts a run); with Slurm: resubmit the selected job (asks if it runs) |');
  expect(md).toContain('| `t` | Stop and remove all services (compose down), after a confirm; with Slurm: cancel every job of the campaign (scancel) |');
  expect(md).toContain('| `↑` `↓` `k` `j` | Select a service (↑/k up, ↓/j down); with Slurm: a job |');
  const slurm = bindingsFor('run', true);
  expect(slurm.map((b) => b.action)).toEqual(bindingsFor('run').map((b) => b.action));
  expect(slurm.find((b) => b.action === 'restart')).toMatchObject({ keys: ['r'], label: 'resubmit' });
  expect(slurm.find((b) => b.action === 'teardown')!.description).toBe('Cancel every job of the campaign (scancel), after a confirm');
  expect(keyBarItems('run', 120, true).map((i) => `${i.keys} ${i.label}`)).toContain('r resubmit');
  expect(keyBarItems('run', 120).map((i) => `${i.keys} ${i.label}`)).toContain('r restart');
  // Every one fits the help overlay too.
  for (const b of KEYMAP) if (b.slurm) expect(b.slurm.description.length, b.slurm.description).toBeLessThanOrEqual(60);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// The questions asked before the start (resume? resume anyway? run the failed ones again?):
// shown over every screen while state.question is set, answered with the keymap's keys.
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { campaignReducer } from '../../source/state/reducer.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { answerHint, questionLines } from '../../source/ui/question/QuestionScreen.js';
import { initialUi, reduceKey } from '../../source/ui/uiState.js';
import { expectFits, KEYS, press, renderAt, stripAnsi } from './helpers.js';
import { confirmState, questionAfterPlanState, questionState, RESUME_QUESTION, T0 } from './fixtures.js';

afterEach(() => cleanup());

async function mount(state: CampaignState = questionState(), columns = 80, rows = 24) {
  const sent: Command[] = [];
  const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />, columns, rows);
  return { r, sent, frame: () => stripAnsi(r.lastFrame() ?? '') };
}

test('shows the title, the question with [Y/n], and the keys, before the plan is known', async () => {
  const { frame } = await mount();
  const lines = frame().split('\n');
  expect(lines[0]?.trim()).toBe('lem-tui');
  expect(frame()).toContain(`${RESUME_QUESTION} [Y/n]`.slice(0, 60));
  expect(frame()).toContain('[Y/n]');
  expect(frame()).toContain('Enter answers yes (the default)');
  expect(lines.at(-1)).toBe('y yes  n no  Enter default  q/Esc/Ctrl-C quit  ? help');
});

test('a question whose default is no says [y/N]', async () => {
  const { frame } = await mount(questionState(false, 'The campaign file changed. Resume anyway?'));
  expect(frame()).toContain('The campaign file changed. Resume anyway? [y/N]');
  expect(frame()).toContain('Enter answers no (the default)');
  expect(frame()).not.toContain('[Y/n]');
});

test('it is shown over the start screen, with the campaign in the title', async () => {
  const { frame } = await mount(questionAfterPlanState());
  expect(frame().split('\n')[0]).toBe('lem-tui backend-comparison (a1b2c3d4)');
  expect(frame()).toContain('The campaign file changed since the earlier run');
  expect(frame()).toContain('anyway? [y/N]');
  expect(frame()).not.toContain('Persistent mode');
});

describe('answers', () => {
  for (const [name, key, defaultYes, answer] of [
    ['y', 'y', true, true],
    ['y (default no)', 'y', false, true],
    ['n', 'n', true, false],
    ['n (default no)', 'n', false, false],
    ['Enter (default yes)', KEYS.enter, true, true],
    ['Enter (default no)', KEYS.enter, false, false],
  ] as const) {
    test(`${name} answers ${answer ? 'yes' : 'no'}, once`, async () => {
      const { r, sent, frame } = await mount(questionState(defaultYes));
      await press(r.stdin, key);
      expect(sent).toEqual([{ type: 'answer', answer }]);
      expect(frame()).toContain('Answered: waiting…');
      for (const again of ['y', 'n', KEYS.enter, 'q', KEYS.esc]) await press(r.stdin, again);
      expect(sent).toEqual([{ type: 'answer', answer }]);
    });
  }

  for (const [name, key] of [
    ['q', 'q'],
    ['Esc', KEYS.esc],
    ['Ctrl-C', KEYS.ctrlC],
  ] as const) {
    test(`${name} quits without answering; Ctrl-C then forces`, async () => {
      const { r, sent, frame } = await mount();
      await press(r.stdin, key);
      expect(sent).toEqual([{ type: 'quit', force: false }]);
      expect(frame()).toContain('Answered: waiting…');
      await press(r.stdin, 'y');
      await press(r.stdin, 'q');
      expect(sent).toEqual([{ type: 'quit', force: false }]);
      await press(r.stdin, KEYS.ctrlC);
      expect(sent).toEqual([
        { type: 'quit', force: false },
        { type: 'quit', force: true },
      ]);
    });
  }

  test('keys the question does not bind do nothing', async () => {
    const { r, sent, frame } = await mount();
    for (const key of ['x', 'j', 'r', 't', 's', 'p', KEYS.up]) await press(r.stdin, key);
    expect(sent).toEqual([]);
    expect(frame()).toContain('[Y/n]');
  });
});

test('? shows this screen’s keys; Esc closes the help without quitting', async () => {
  const { r, sent, frame } = await mount();
  await press(r.stdin, '?');
  expect(frame()).toContain('A question before the start (resume?)');
  expect(frame()).toContain('Quit without answering; nothing has been started');
  expect(frame()).not.toContain('In a yes/no dialog');
  await press(r.stdin, KEYS.esc);
  expect(frame()).toContain('[Y/n]');
  expect(sent).toEqual([]);
  await press(r.stdin, 'n');
  expect(sent).toEqual([{ type: 'answer', answer: false }]);
});

test('the next question is answered afresh; once none is left the screen it covered comes back', async () => {
  const sent: Command[] = [];
  const app = (state: CampaignState) => <App state={state} sendCommand={(c) => sent.push(c)} color={false} />;
  let state = questionState();
  const r = await renderAt(app(state));
  await press(r.stdin, 'y');
  state = [
    { type: 'question/answered', at: T0 } as const,
    { type: 'question/asked', at: T0, text: 'Run the 2 failed experiments again?', defaultYes: true } as const,
  ].reduce(campaignReducer, state);
  r.rerender(app(state));
  await press(r.stdin, KEYS.enter);
  expect(stripAnsi(r.lastFrame() ?? '')).toContain('Answered: waiting…');
  expect(sent).toEqual([
    { type: 'answer', answer: true },
    { type: 'answer', answer: true },
  ]);
  const confirm = confirmState();
  r.rerender(app(confirm));
  await press(r.stdin, 'x');
  expect(stripAnsi(r.lastFrame() ?? '')).toContain('Start the services? [Y/n]');
});

test('a long question wraps and fits small terminals', async () => {
  const long = `${'The manifest was written by another version of lem-tui and some of its entries are not understood. '.repeat(3)}Resume anyway?`;
  for (const [columns, rows] of [
    [60, 16],
    [40, 8],
    [80, 5],
  ] as const) {
    const { r, frame } = await mount(questionState(false, long), columns, rows);
    expectFits(r.lastFrame() ?? '', columns, rows);
    expect(frame()).toContain('[y/N]');
    r.unmount();
  }
});

describe('pure parts', () => {
  test('answerHint puts the default in capitals', () => {
    expect(answerHint(true)).toBe('[Y/n]');
    expect(answerHint(false)).toBe('[y/N]');
  });

  test('questionLines wraps the question with its answers and cuts it to the rows', () => {
    expect(questionLines({ text: 'Resume it?', defaultYes: true }, 80, 3)).toEqual(['Resume it? [Y/n]']);
    const cut = questionLines({ text: 'one two three four five six seven eight nine ten', defaultYes: false }, 10, 2);
    expect(cut).toEqual(['one two', 'thr… [y/N]']);
  });

  test('reduceKey: the question takes precedence over the screen below and over an open dialog', () => {
    const state = questionAfterPlanState();
    const ctx = { screen: 'question' as const, logPage: 5 };
    const withDialog = { ...initialUi, dialog: { kind: 'teardown' as const } };
    const r = reduceKey(withDialog, 'y', state, ctx);
    expect(r.commands).toEqual([{ type: 'answer', answer: true }]);
    expect(r.ui.dialog).toBeNull();
    expect(r.ui.answeredQuestion).toBe(state.question);
    expect(reduceKey(initialUi, 'enter', state, ctx).commands).toEqual([{ type: 'answer', answer: false }]);
    expect(reduceKey(initialUi, 'esc', state, ctx).commands).toEqual([{ type: 'quit', force: false }]);
  });
});

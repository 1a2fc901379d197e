import React from 'react';
import { afterEach, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { KEYS, press, renderAt, stripAnsi } from './helpers.js';
import { confirmState, persistentCommands } from './fixtures.js';

afterEach(() => cleanup());

async function mount(state: CampaignState = confirmState()) {
  const sent: Command[] = [];
  const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />);
  return { r, sent, frame: () => stripAnsi(r.lastFrame() ?? '') };
}

/** The lines under "Command:" up to the blank line, joined. */
function commandShown(frame: string): string {
  const lines = frame.split('\n');
  const start = lines.indexOf('Command:') + 1;
  const end = lines.findIndex((l, i) => i >= start && l.trim() === '');
  return lines.slice(start, end).map((l) => l.trim()).join(' ');
}

test('explains the trade-offs and lists the services and the compose command', async () => {
  const { frame } = await mount();
  const f = frame();
  expect(f).toContain('Persistent mode');
  expect(f).toContain('less isolation between experiments');
  expect(f).toContain('GPU memory and model caches may carry over');
  expect(f).toContain('containers stay up until you tear them down');
  expect(f).toContain('Services that will start (2):');
  expect(f).toMatch(/^ {2}pytorch$/m);
  expect(f).toMatch(/^ {2}vllm$/m);
  // The dispatcher's exact command: its -f files (the override too), not a rebuilt string, wrapped to fit.
  expect(commandShown(f)).toBe('docker compose -p lem-a1b2c3d4 -f docker-compose.yml -f .state/compose/lem-a1b2c3d4.override.yml up -d pytorch vllm');
  expect(f).toContain('[Y/n]');
});

test('shows the command of the compose flavour in use', async () => {
  const s = confirmState();
  const { frame } = await mount({ ...s, meta: { ...s.meta!, commands: persistentCommands('docker-compose', ['compose.yaml']) } });
  expect(commandShown(frame())).toBe('docker-compose -p lem-a1b2c3d4 -f compose.yaml up -d pytorch vllm');
});

test('with GPU slots: lists the per-GPU services the dispatcher starts, not the plan\'s', async () => {
  const s = confirmState();
  const { up, ...rest } = persistentCommands();
  const upServices = ['pytorch-gpu0', 'pytorch-gpu1', 'vllm-gpu0', 'vllm-gpu1'];
  const commands = { ...rest, up: [...up.slice(0, -2), ...upServices], upServices };
  const { frame } = await mount({ ...s, meta: { ...s.meta!, commands } });
  const f = frame();
  expect(f).toContain('Services that will start (4):');
  for (const name of upServices) expect(f).toMatch(new RegExp(`^ {2}${name}$`, 'm'));
  expect(f).not.toMatch(/^ {2}pytorch$/m);
  expect(commandShown(f)).toMatch(/up -d pytorch-gpu0 pytorch-gpu1 vllm-gpu0 vllm-gpu1$/);
});

test('auto_teardown on says containers go at the end', async () => {
  const s = confirmState();
  const { frame } = await mount({ ...s, meta: { ...s.meta!, autoTeardown: true } });
  expect(frame()).toContain('containers stay up until teardown at the end of the campaign');
});

for (const [name, key] of [
  ['y', 'y'],
  ['Enter (default Yes)', KEYS.enter],
] as const) {
  test(`${name} confirms; a second answer is ignored`, async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, key);
    expect(sent).toEqual([{ type: 'confirm', answer: true }]);
    expect(frame()).toContain('waiting for the engine');
    await press(r.stdin, 'n');
    expect(sent).toEqual([{ type: 'confirm', answer: true }]);
  });
}

for (const [name, key] of [
  ['n', 'n'],
  ['Esc', KEYS.esc],
  ['Ctrl-C', KEYS.ctrlC],
] as const) {
  test(`${name} quits with nothing started`, async () => {
    const { r, sent } = await mount();
    await press(r.stdin, key);
    expect(sent).toEqual([{ type: 'confirm', answer: false }]);
  });
}

test('Ctrl-C after answering forces', async () => {
  const { r, sent } = await mount();
  await press(r.stdin, KEYS.ctrlC);
  await press(r.stdin, KEYS.ctrlC);
  expect(sent).toEqual([
    { type: 'confirm', answer: false },
    { type: 'quit', force: true },
  ]);
});

test('? shows the help for this screen', async () => {
  const { r, sent, frame } = await mount();
  await press(r.stdin, '?');
  expect(frame()).toContain('Start screen (persistent mode)');
  await press(r.stdin, KEYS.esc);
  expect(frame()).toContain('[Y/n]');
  expect(sent).toEqual([]);
});

test('many services are cut with a count, within the height', async () => {
  const s = confirmState();
  const names = Array.from({ length: 30 }, (_, i) => `svc${i}`);
  const { frame } = await mount({ ...s, serviceOrder: names });
  expect(frame()).toContain('Services that will start (30):');
  expect(frame()).toMatch(/… and \d+ more/);
  expect(frame().split('\n').length).toBeLessThan(24);
});

// Golden-ish frames at 80×24 and 120×40 with a fixed clock: every line fits the
// width, the frame is shorter than the terminal, and the text matches the snapshot.
import React from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import chalk from 'chalk';
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { colorFromEnv } from '../../source/ui/theme.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { expectFits, normaliseSpinner, press, renderAt, stripAnsi, tick, waitForFrame } from './helpers.js';
import { confirmState, gapState, questionAfterPlanState, questionState, runState, stuckState, summaryState } from './fixtures.js';
import { eightGpus, gpuRunState, gpuUnavailableState, withHostEnergy } from './gpuFixtures.js';

afterEach(() => cleanup());

const SIZES = [
  [80, 24],
  [120, 40],
] as const;

// Scene, state, keys to press, and a text the frame shows once the keys took effect.
const SCENES: [string, () => CampaignState, string[], string][] = [
  ['question', () => questionState(), [], '[Y/n]'],
  ['question, default no, over the start screen', questionAfterPlanState, [], '[y/N]'],
  ['question, answered', () => questionState(), ['y'], 'waiting'],
  ['question help', () => questionState(), ['?'], 'A question before the start'],
  ['confirm', confirmState, [], '[Y/n]'],
  ['confirm help', confirmState, ['?'], 'Start screen (persistent mode)'],
  ['run', runState, [], 'Log: 0006'],
  ['run, log hidden', runState, ['l'], '3 vllm_gpu'],
  ['run, restart dialog', runState, ['j', 'r'], 'Restart service vllm?'],
  ['run, teardown dialog', runState, ['t'], 'Stop and remove'],
  ['run, help', runState, ['?'], 'While running'],
  ['run, tearing down', runState, ['q'], 'Tearing down'],
  ['gap', gapState, [], 'Next experiment in 42 s'],
  ['stuck', stuckState, [], 'STUCK'],
  ['run, 2 GPUs, host energy', () => withHostEnergy(gpuRunState(2), '0005'), [], 'GPU1'],
  ['run, 8 GPUs, one throttled, one without power', eightGpus, [], 'GPU0'],
  ['summary', summaryState, [], 'J/token per config'],
  ['summary, teardown dialog', summaryState, ['t'], 'Stop and remove'],
  ['summary, host energy', () => withHostEnergy(summaryState(), '0005'), [], 'HOST J'],
];

describe.each(SIZES)('%i×%i', (columns, rows) => {
  test.each(SCENES)('%s', async (_name, make, keys, shows) => {
    const r = await renderAt(<App state={make()} sendCommand={() => {}} color={false} />, columns, rows);
    for (const k of keys) await press(r.stdin, k);
    const frame = await waitForFrame(r, (f) => stripAnsi(f).includes(shows));
    expectFits(frame, columns, rows);
    expect(normaliseSpinner(stripAnsi(frame))).toMatchSnapshot();
  });
});

test('small and odd sizes still fit', async () => {
  for (const [columns, rows] of [
    [60, 16],
    [100, 30],
    [200, 60],
  ] as const) {
    for (const make of [() => questionState(), questionAfterPlanState, confirmState, runState, summaryState, eightGpus, gpuUnavailableState]) {
      const r = await renderAt(<App state={make()} sendCommand={() => {}} color={false} />, columns, rows);
      expectFits(r.lastFrame() ?? '', columns, rows);
      r.unmount();
    }
  }
});

test('reflows on resize', async () => {
  const r = await renderAt(<App state={runState()} sendCommand={() => {}} color={false} />, 80, 24);
  expect(stripAnsi(r.lastFrame() ?? '')).not.toContain('NOTE');
  Object.assign(r.stdout, { __columns: 120, __rows: 40 });
  r.stdout.emit('resize');
  const frame = await waitForFrame(r, (f) => stripAnsi(f).includes('NOTE'));
  expectFits(frame, 120, 40);
});

describe('NO_COLOR', () => {
  const level = chalk.level;
  beforeAll(() => {
    chalk.level = 3; // the test runner's stdout is no TTY: force colour so its absence means something
  });
  afterAll(() => {
    chalk.level = level;
    vi.unstubAllEnvs();
  });
  // Foreground/background colour SGR codes: 30–39, 40–49, 90–97, 100–107, 38;… and 48;…
  const COLOUR = /\u001B\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

  test('colour by default, none when NO_COLOR is set', async () => {
    for (const make of [confirmState, runState, summaryState]) {
      vi.stubEnv('NO_COLOR', '');
      const coloured = await renderAt(<App state={make()} sendCommand={() => {}} />);
      expect(coloured.lastFrame()).toMatch(COLOUR);
      coloured.unmount();

      vi.stubEnv('NO_COLOR', '1');
      const plain = await renderAt(<App state={make()} sendCommand={() => {}} />);
      await press(plain.stdin, 't');
      expect(plain.lastFrame()).not.toMatch(COLOUR);
      plain.unmount();
    }
  });

  test('colorFromEnv follows no-color.org', () => {
    expect(colorFromEnv({})).toBe(true);
    expect(colorFromEnv({ NO_COLOR: '' })).toBe(true);
    expect(colorFromEnv({ NO_COLOR: '1' })).toBe(false);
  });
});

test('without raw mode (stdin is no TTY) it renders and ignores stdin instead of throwing', async () => {
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: false,
    setEncoding() {},
    setRawMode() {
      throw new Error('Raw mode is not supported');
    },
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read: () => null,
  });
  let last = '';
  const stdout = Object.assign(new EventEmitter(), {
    columns: 80,
    rows: 24,
    write: (s: string) => {
      last = s;
      return true;
    },
  });
  const sent: Command[] = [];
  const app = render(<App state={runState()} sendCommand={(c) => sent.push(c)} color={false} />, {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await tick();
  stdin.emit('data', 'q');
  await tick();
  expect(stripAnsi(last)).toContain('backend-comparison');
  expect(sent).toEqual([]);
  app.unmount();
});

// Test helpers on ink-testing-library: a fixed terminal size, key presses that
// yield before and after each write, and waiting for a frame instead of sleeping.
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import { expect } from 'vitest';

export type Rendered = ReturnType<typeof render>;

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  esc: '\u001B',
  ctrlC: '\u0003',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  end: '\u001B[F',
} as const;

export const tick = (ms = 10) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Renders at `columns`×`rows`: ink-testing-library's stdout says 100 columns and no rows, so set both and announce a resize. */
export async function renderAt(tree: ReactElement, columns = 80, rows = 24): Promise<Rendered> {
  const r = render(tree);
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
  await tick();
  return r;
}

/** Writes one key, yielding before and after (writes made in the same tick can be lost). */
export async function press(stdin: Rendered['stdin'], key: string): Promise<void> {
  await tick();
  stdin.write(key);
  await tick();
}

export async function waitForFrame(r: Rendered, predicate: (frame: string) => boolean, timeoutMs = 2000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const frame = r.lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() - start > timeoutMs) throw new Error(`no frame matched; last frame:\n${frame}`);
    await tick(5);
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g;
export const stripAnsi = (s: string) => s.replace(ANSI, '');

/** Spinner frames change with time: replace them so frames compare equal. */
export const normaliseSpinner = (s: string) => s.replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '*');

/** Every line fits the width, and the frame is shorter than the terminal. */
export function expectFits(frame: string, columns: number, rows: number): void {
  const lines = stripAnsi(frame).split('\n');
  expect(lines.length).toBeLessThan(rows);
  for (const line of lines) {
    expect([...line].length, `line too wide: "${line}"`).toBeLessThanOrEqual(columns);
  }
}

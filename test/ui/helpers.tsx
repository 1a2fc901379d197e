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

// ink-testing-library's stdout always says 100 columns and has no rows. Its
// class is not exported: reach it through one instance and give it getters
// that answer the size of the render being made (then pinned on the instance),
// so the first frame already has the right size and no resize can be missed.
let nextSize = { columns: 100, rows: 24 };
let patched = false;
function patchStdoutSize(): void {
  if (patched) return;
  patched = true;
  const probe = render(<></>);
  const proto = Object.getPrototypeOf(probe.stdout) as object;
  probe.unmount();
  Object.defineProperty(proto, 'columns', {
    configurable: true,
    get(this: { __columns?: number }) {
      return this.__columns ?? nextSize.columns;
    },
  });
  Object.defineProperty(proto, 'rows', {
    configurable: true,
    get(this: { __rows?: number }) {
      return this.__rows ?? nextSize.rows;
    },
  });
}

const rendered = new WeakMap<object, Rendered>();

/** Renders at `columns`×`rows`, and resolves once the key handler listens (useInput subscribes in an effect). */
export async function renderAt(tree: ReactElement, columns = 80, rows = 24): Promise<Rendered> {
  patchStdoutSize();
  nextSize = { columns, rows };
  const r = render(tree);
  Object.assign(r.stdout, { __columns: columns, __rows: rows });
  rendered.set(r.stdin, r);
  const start = Date.now();
  while (r.stdin.listenerCount('readable') === 0 && Date.now() - start < 2000) await tick(5);
  await settle(r);
  return r;
}

/**
 * Waits until React has rendered what is pending (it renders a task after the
 * key): no new frame for a few turns of the event loop. Capped, because a
 * spinner draws a frame every 80 ms for as long as a service starts.
 */
export async function settle(r: Rendered, capMs = 1000): Promise<void> {
  const start = Date.now();
  let count = -1;
  let quiet = 0;
  while (quiet < 3 && Date.now() - start < capMs) {
    await tick(5);
    if (r.frames.length === count) quiet++;
    else {
      count = r.frames.length;
      quiet = 0;
    }
  }
}

/** Writes one key, yielding before and after (writes made in the same tick can be lost; renders come a task later). */
export async function press(stdin: Rendered['stdin'], key: string): Promise<void> {
  await tick();
  stdin.write(key);
  const r = rendered.get(stdin);
  if (r) await settle(r);
  else await tick();
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

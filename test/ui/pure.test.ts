import { describe, expect, test } from 'vitest';
import { runLayout, HEADER_LINES, KEYBAR_LINES, STATUS_LINES } from '../../source/ui/run/layout.js';
import { allocate, bar, cell, truncate, windowStart } from '../../source/ui/text.js';
import { barChartLines } from '../../source/ui/summary/BarChart.js';
import { experimentCells } from '../../source/ui/run/ExperimentsTable.js';
import { visibleLog } from '../../source/ui/run/LogPane.js';
import { initialUi, reduceKey } from '../../source/ui/uiState.js';
import { countdown } from '../../source/ui/run/StatusLine.js';
import { runState, summaryState } from './fixtures.js';

describe('text', () => {
  test('truncate and cell keep the width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(cell('ab', 4)).toBe('ab  ');
    expect(cell('ab', 4, 'right')).toBe('  ab');
    expect(cell('abcdef', 4)).toBe('abc…');
  });
  test('bar fills in eighths', () => {
    expect(bar(0, 4)).toBe('    ');
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██  ');
    expect(bar(1 / 32, 4)).toBe('▏   ');
    expect(bar(Number.NaN, 3)).toBe('   ');
  });
  test('windowStart keeps the focus visible', () => {
    for (let focus = 0; focus < 50; focus++) {
      const s = windowStart(50, focus, 7);
      expect(focus).toBeGreaterThanOrEqual(s);
      expect(focus).toBeLessThan(s + 7);
      expect(s + 7).toBeLessThanOrEqual(50);
    }
    expect(windowStart(5, 4, 7)).toBe(0);
  });
  test('allocate hands out lines in turn up to the need', () => {
    expect(allocate(5, [10, 1, 10])).toEqual([2, 1, 2]);
    expect(allocate(100, [3, 4])).toEqual([3, 4]);
    expect(allocate(-3, [3])).toEqual([0]);
  });
});

test('the run layout never exceeds the height (when there is room for the chrome)', () => {
  for (let h = 12; h <= 80; h++) {
    for (const services of [0, 1, 2, 9]) {
      for (const wantLog of [true, false]) {
        const l = runLayout(h, services, 30, wantLog);
        const used =
          HEADER_LINES +
          STATUS_LINES +
          KEYBAR_LINES +
          2 +
          (services ? 1 + l.serviceRows + (l.hiddenServicesLine ? 1 : 0) : 0) +
          l.experimentRows +
          (l.showLog ? 1 + l.logRows : 0);
        expect(used, `h=${h} s=${services} log=${wantLog}`).toBeLessThanOrEqual(h);
        expect(l.experimentRows).toBeGreaterThanOrEqual(1);
      }
    }
  }
});

test('the run layout keeps every busy service (and the selected one) while others shrink; hidden rows get a line', () => {
  // 4 slot services, all busy, 2 GPUs' lines, at 80×24 (23 lines): all four rows, no hidden line.
  const all = runLayout(23, { rows: 4, chrome: 1, leastRows: 4, marksHidden: true }, 12, true, 4);
  expect(all).toMatchObject({ serviceRows: 4, hiddenServicesLine: false });
  // 8 services, 2 busy: a sixth of the height (3) covers them and the selected one; the other 5 are counted on a line.
  expect(runLayout(23, { rows: 8, chrome: 1, leastRows: 3, marksHidden: true }, 12, true, 8)).toMatchObject({ serviceRows: 3, hiddenServicesLine: true });
  // 8 services, 5 busy: more than a sixth of the height.
  expect(runLayout(23, { rows: 8, chrome: 1, leastRows: 6, marksHidden: true }, 12, true, 0)).toMatchObject({ serviceRows: 6, hiddenServicesLine: true });
  // Jobs say what they hide in their title: no line of their own.
  expect(runLayout(23, { rows: 8, chrome: 2, leastRows: 1, marksHidden: false }, 12, true, 0).hiddenServicesLine).toBe(false);
  for (let h = 12; h <= 60; h++) {
    for (const leastRows of [1, 3, 8]) {
      const l = runLayout(h, { rows: 9, chrome: 1, leastRows, marksHidden: true }, 30, true, 4);
      const used = HEADER_LINES + STATUS_LINES + KEYBAR_LINES + 2 + 1 + l.serviceRows + (l.hiddenServicesLine ? 1 : 0) + l.gpuRows + l.experimentRows + (l.showLog ? 1 + l.logRows : 0);
      expect(used, `h=${h} least=${leastRows}`).toBeLessThanOrEqual(h);
      expect(l.hiddenServicesLine).toBe(l.serviceRows < 9);
      if (h >= 24) expect(l.serviceRows, `h=${h} least=${leastRows}`).toBeGreaterThanOrEqual(leastRows);
    }
  }
});

test('countdown rounds up and never reads 0 while waiting', () => {
  expect(countdown(41_200)).toBe('42 s');
  expect(countdown(-5)).toBe('0 s');
  expect(countdown(252_000)).toBe('4m12s');
});

test('experiment cells: blank before results, n/a when missing, ! when energy tracking failed', () => {
  const s = runState();
  const [done, , failed, noEnergy, , running, pending] = s.experiments
    .map((e) => experimentCells(e, s.now))
    .map((c) => [c.status, c.time, c.energy, c.tps, c.jpt]);
  expect(done!.slice(2)).toEqual(['1,235', '250', '0.0617']);
  expect(failed!.slice(2)).toEqual(['n/a', 'n/a', 'n/a']);
  expect(noEnergy!.slice(2)).toEqual(['n/a!', '333', 'n/a']);
  expect(running).toEqual(['running', '30s', '', '', '']);
  expect(pending).toEqual(['pending', '', '', '', '']);
});

test('bar chart lines fit the width and scale to the largest value', () => {
  const lines = barChartLines(
    [
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
      { label: 'c', value: null },
    ],
    40,
  );
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(40);
  const blocks = lines.map((l) => (l.match(/█/g) ?? []).length);
  expect(blocks[1]).toBe(2 * blocks[0]!);
  expect(lines[2]).toMatch(/n\/a$/);
});

test('log window: follows the end, or holds still at an absolute line', () => {
  const log = { lines: ['a', 'b', 'c', 'd', 'e'], dropped: 10, expId: 'x' };
  expect(visibleLog(log, null, 2)).toEqual(['d', 'e']);
  expect(visibleLog(log, 13, 2)).toEqual(['b', 'c']);
  expect(visibleLog(log, 5, 2)).toEqual([]); // scrolled past what the ring keeps
  expect(visibleLog(log, 99, 2)).toEqual(['d', 'e']);
});

describe('reduceKey', () => {
  const ctx = { screen: 'run' as const, logPage: 5 };
  test('unknown keys change nothing', () => {
    const r = reduceKey(initialUi, 'x', runState(), ctx);
    expect(r).toEqual({ ui: initialUi, commands: [] });
  });
  test('selection stops at the ends', () => {
    let ui = initialUi;
    for (let i = 0; i < 5; i++) ui = reduceKey(ui, 'j', runState(), ctx).ui;
    expect(ui.selected).toBe('vllm');
    for (let i = 0; i < 5; i++) ui = reduceKey(ui, 'up', runState(), ctx).ui;
    expect(ui.selected).toBe('pytorch');
  });
  test('PgUp stops at the oldest kept line', () => {
    let ui = initialUi;
    for (let i = 0; i < 20; i++) ui = reduceKey(ui, 'pageup', runState(), ctx).ui;
    expect(ui.logEnd).toBe(5);
    ui = reduceKey(ui, 'pagedown', runState(), ctx).ui;
    expect(ui.logEnd).toBe(10);
  });
  test('summary: t with nothing left running does nothing; q quits', () => {
    const sctx = { screen: 'summary' as const, logPage: 1 };
    expect(reduceKey(initialUi, 't', summaryState([]), sctx).ui.dialog).toBeNull();
    expect(reduceKey(initialUi, 't', summaryState(), sctx).ui.dialog).toEqual({ kind: 'teardown' });
    expect(reduceKey(initialUi, 'q', summaryState(), sctx).commands).toEqual([{ type: 'quit', force: false }]);
  });
});

// Persistent mode with --gpus, the panel's rows are the slots' own services
// (pytorch-gpu0, ...): r asks before restarting one that runs an experiment
// and restarts a free one at once (issue 25, item 2); the teardown dialog
// names every experiment it interrupts (item 3).
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { selectRunningOn } from '../../source/state/busyServices.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { initialUi, reduceKey } from '../../source/ui/uiState.js';
import { KEYS, expectFits, press, renderAt, stripAnsi } from './helpers.js';
import { id, NOW } from './fixtures.js';
import { slotServicesGpuState, slotServicesState } from './slotServiceFixtures.js';

afterEach(() => cleanup());

const ctx = { screen: 'run' as const, logPage: 5 };

async function mount(state: CampaignState, columns = 80, rows = 24) {
  const sent: Command[] = [];
  const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />, columns, rows);
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  return { r, sent, frame };
}

describe('r on a per-GPU service', () => {
  // Two slots; only slot 1 (pytorch-gpu1) runs an experiment: 0001, whose plan names "pytorch".
  const state = () => slotServicesState(2, [1]);

  test('busy is the service the experiment runs in, not its plan service', () => {
    const s = state();
    expect(s.experiments[0]).toMatchObject({ service: 'pytorch', runsOn: 'pytorch-gpu1', status: 'running' });
    expect(selectRunningOn(s, 'pytorch-gpu1')?.expId).toBe(id(0));
    expect(selectRunningOn(s, 'pytorch-gpu0')).toBeNull();
    expect(selectRunningOn(s, 'pytorch')).toBeNull();
  });

  test('r on the busy slot service opens the confirm; r on the free one restarts at once', () => {
    const s = state();
    const onBusy = reduceKey({ ...initialUi, selected: 'pytorch-gpu1' }, 'r', s, ctx);
    expect(onBusy.commands).toEqual([]);
    expect(onBusy.ui.dialog).toMatchObject({ kind: 'restart', service: 'pytorch-gpu1', experiment: { expId: id(0) } });
    const onFree = reduceKey({ ...initialUi, selected: 'pytorch-gpu0' }, 'r', s, ctx);
    expect(onFree.commands).toEqual([{ type: 'restartService', service: 'pytorch-gpu0' }]);
    expect(onFree.ui.dialog).toBeNull();
  });

  test('on screen: the dialog names the experiment; Enter keeps it, y restarts', async () => {
    const { r, sent, frame } = await mount(state());
    await press(r.stdin, 'j');
    await press(r.stdin, 'r');
    expect(frame()).toContain('Restart service pytorch-gpu1?');
    expect(frame()).toContain('This interrupts the running experiment 0001 pytorch_bs4 (cycle 1);');
    expectFits(frame(), 80, 24);
    await press(r.stdin, KEYS.enter);
    expect(sent).toEqual([]);
    await press(r.stdin, 'r');
    await press(r.stdin, 'y');
    expect(sent).toEqual([{ type: 'restartService', service: 'pytorch-gpu1' }]);
  });

  test('the services panel shows the busy slot service as the one quiet for a while', async () => {
    const { frame } = await mount(state());
    expect(frame()).toMatch(/pytorch-gpu1 +running .*last output 2 s ago/);
    expect(frame()).not.toMatch(/pytorch-gpu0 +running .*last output/);
  });

  test('an experiment started without a service (one slot) is busy on its plan service', () => {
    const s = slotServicesState(1, [], [{ type: 'experiment/started', at: NOW, expId: id(0), attempt: 1 }]);
    expect(selectRunningOn(s, 'pytorch')?.expId).toBe(id(0));
  });
});

describe('teardown with several running', () => {
  test('the dialog names every running experiment, not only the followed one', async () => {
    const { r, frame } = await mount(slotServicesState(2, [0, 1]));
    await press(r.stdin, 't');
    expect(frame()).toContain('This interrupts the 2 running experiments: 0001, 0002.');
    expect(frame()).not.toContain('This interrupts the running experiment');
    expectFits(frame(), 80, 24);
  });

  test('one running: named in full; many: counted, the first eight named', async () => {
    const one = await mount(slotServicesState(2, [1]));
    await press(one.r.stdin, 't');
    expect(one.frame()).toContain('This interrupts the running experiment 0001 pytorch_bs4 (cycle 1).');
    cleanup();
    const many = await mount(slotServicesState(10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 80, 30);
    await press(many.r.stdin, 't');
    const f = many.frame().replace(/│/g, ' ').replace(/\s+/g, ' ');
    expect(f).toContain('This interrupts the 10 running experiments: 0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008 and 2 more.');
  });
});

describe('the services panel with one service per GPU slot (item 13)', () => {
  async function frameAt(state: CampaignState, columns: number, rows: number) {
    const r = await renderAt(<App state={state} now={NOW} sendCommand={() => {}} color={false} />, columns, rows);
    const f = stripAnsi(r.lastFrame() ?? '');
    expectFits(f, columns, rows);
    return f;
  }
  const rowOf = (f: string, service: string) => f.split('\n').find((l) => l.includes(service)) ?? '';

  test.each([
    [80, 24],
    [120, 40],
  ])('%i×%i, four GPU slots all busy: every slot service shows, with its own quiet time', async (columns, rows) => {
    const f = await frameAt(slotServicesGpuState(4, [0, 1, 2, 3]), columns, rows);
    for (let g = 0; g < 4; g++) expect(rowOf(f, `pytorch-gpu${g}`)).toMatch(new RegExp(`pytorch-gpu${g} +running .*last output ${2 + g} s ago`));
    expect(f).not.toMatch(/\+\d+ more/);
    expect(f).toContain('Running 4/12: pytorch_bs4 (cycle 4) on pytorch-gpu3 · GPU 3 · 3 more running');
    expect(f).toMatchSnapshot();
  });

  test('80×24, eight slots, two busy far down: the busy ones show; the hidden ones are counted on a line of their own', async () => {
    const f = await frameAt(slotServicesGpuState(8, [5, 7]), 80, 24);
    const lines = f.split('\n');
    const header = lines.findIndex((l) => l.includes('SERVICE'));
    expect(lines[header]).toMatch(/OUTPUT \(lem-a1b2c3d4\) *$/);
    expect(lines[header + 1]).toMatch(/^› pytorch-gpu0 +running/); // the selected one
    expect(lines[header + 2]).toMatch(/^ {2}pytorch-gpu5 +running .*last output 2 s ago/);
    expect(lines[header + 3]).toMatch(/^ {2}pytorch-gpu7 +running .*last output 3 s ago/);
    expect(lines[header + 4]).toBe('  +5 more not shown: pytorch-gpu1, pytorch-gpu2, pytorch-gpu3, pytorch-gpu4, py…');
    expect(f).toMatchSnapshot();
  });

  test('selecting a hidden one brings it into view, the busy ones stay', async () => {
    const { r, frame } = await mount(slotServicesGpuState(8, [5, 7]));
    for (let i = 0; i < 3; i++) await press(r.stdin, 'j');
    const f = frame();
    expect(f).toMatch(/› pytorch-gpu3 +running/);
    expect(f).toMatch(/pytorch-gpu5 +running .*last output/);
    expect(f).toMatch(/pytorch-gpu7 +running .*last output/);
    expect(f).toMatch(/^ {2}\+5 more not shown: pytorch-gpu0, pytorch-gpu1, pytorch-gpu2, pytorch-gpu4/m);
  });
});

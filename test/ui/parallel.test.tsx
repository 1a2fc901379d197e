// The run screen with --gpus: the header says what runs where, the table marks
// each experiment's GPU, the GPU panel names what runs on each GPU, [ and ]
// choose the running experiment the log shows and s skips.
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { runningText } from '../../source/ui/run/Header.js';
import { gpuTies } from '../../source/ui/run/gpuLines.js';
import { initialUi, reduceKey, selectedRunning, shownLog } from '../../source/ui/uiState.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { expectFits, press, renderAt, stripAnsi } from './helpers.js';
import { id, NOW, runState } from './fixtures.js';
import { gpuRunState } from './gpuFixtures.js';
import { parallelGpuState, parallelState } from './parallelFixtures.js';

afterEach(() => cleanup());

const ctx = { screen: 'run' as const, logPage: 5 };

describe('keys with two running', () => {
  test('[ and ] cycle the log between the running experiments, wrapping, and follow its end', () => {
    const s = parallelState();
    expect(shownLog(initialUi, s).expId).toBe(id(5)); // the latest started
    const back = reduceKey({ ...initialUi, logEnd: 3 }, '[', s, ctx).ui;
    expect(back).toMatchObject({ followed: id(4), logEnd: null });
    expect(shownLog(back, s).lines).toEqual(['pytorch step 1', 'pytorch step 2']);
    const wrapped = reduceKey(back, '[', s, ctx).ui;
    expect(wrapped.followed).toBe(id(5));
    expect(reduceKey(wrapped, ']', s, ctx).ui.followed).toBe(id(4));
  });

  test('s skips the selected running experiment, by its id', () => {
    const s = parallelState();
    expect(reduceKey(initialUi, 's', s, ctx).commands).toEqual([{ type: 'skipCurrent', expId: id(5) }]);
    const ui = reduceKey(initialUi, '[', s, ctx).ui;
    expect(selectedRunning(ui, s)?.expId).toBe(id(4));
    expect(reduceKey(ui, 's', s, ctx).commands).toEqual([{ type: 'skipCurrent', expId: id(4) }]);
  });

  test('a chosen experiment that ended gives the log back to the followed one', () => {
    const ui = reduceKey(initialUi, '[', parallelState(), ctx).ui;
    const s = parallelState([
      { type: 'experiment/finished', at: NOW, expId: id(4), status: 'completed', exitCode: 0, reason: null, durationMs: 60_000, metrics: null },
    ]);
    expect(selectedRunning(ui, s)?.expId).toBe(id(5));
    expect(shownLog(ui, s).expId).toBe(id(5));
  });

  test('with one running, [ and ] stay on it; with none they do nothing', () => {
    const one = runState();
    expect(reduceKey(initialUi, ']', one, ctx).ui.followed).toBe(id(5));
    expect(shownLog(reduceKey(initialUi, ']', one, ctx).ui, one)).toBe(one.log);
    const none = { ...one, running: [] } as CampaignState;
    expect(reduceKey(initialUi, ']', none, ctx).ui).toBe(initialUi);
  });
});

describe('what runs where', () => {
  test('the header counts the running ones and their GPUs; one slot says running', () => {
    expect(runningText(parallelState())).toBe('2 running on GPUs 0,1');
    expect(runningText(runState())).toBeNull();
  });

  test('each GPU is tied to the experiment on it, by index or UUID; none without --gpus', () => {
    const ties = gpuTies(parallelGpuState())!;
    expect(ties.get(0)?.expId).toBe(id(4));
    expect(ties.get(1)?.expId).toBe(id(5));
    const byUuid = parallelGpuState();
    byUuid.experiments = byUuid.experiments.map((e) => (e.expId === id(5) ? { ...e, gpus: ['GPU-1'] } : e));
    expect(gpuTies(byUuid)!.get(1)?.expId).toBe(id(5));
    expect(gpuTies(gpuRunState(2))).toBeNull();
  });
});

describe('frames at 80×24', () => {
  async function frameOf(state: CampaignState, keys: string[] = []) {
    const sent: Command[] = [];
    const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />, 80, 24);
    for (const k of keys) await press(r.stdin, k);
    const f = stripAnsi(r.lastFrame() ?? '');
    expectFits(f, 80, 24);
    return { f, sent };
  }

  test('header, GPU column, GPU panel ties and the followed log', async () => {
    const { f } = await frameOf(parallelGpuState());
    expect(f).toContain('2 running on GPUs 0,1');
    expect(f).toMatch(/GPU0 .*▶ 0005/);
    expect(f).toMatch(/GPU1 .*▶ 0006/);
    expect(f).toMatch(/STATUS +GPU/);
    expect(f).toMatch(/pytorch_bs4 +pytorch +running +0 /);
    expect(f).toMatch(/› +2 vllm_bs8 +vllm +running +1 /);
    expect(f).toContain('Log: 0006 vllm_bs8 (cycle 2) on GPU 1 · 2/2 running, [ ] switch');
    expect(f).toContain('vllm step 3');
    expect(f).toContain('1 more running');
    // Each service says how long its own experiment has been quiet.
    expect(f).toMatch(/pytorch +running .*last output 5 s ago/);
    expect(f).toMatch(/vllm +running .*last output 3 s ago/);
    expect(f).toMatchSnapshot();
  });

  test('[ shows the other one’s log; s then skips it', async () => {
    const { f, sent } = await frameOf(parallelGpuState(), ['[', 's']);
    expect(f).toContain('Log: 0005 pytorch_bs4 (cycle 2) on GPU 0 · 1/2 running');
    expect(f).toContain('pytorch step 2');
    expect(f).toMatch(/› +2 pytorch_bs4/);
    expect(sent).toEqual([{ type: 'skipCurrent', expId: id(4) }]);
    expect(f).toMatchSnapshot();
  });

  test('120 columns: the GPU panel names the config', async () => {
    const r = await renderAt(<App state={parallelGpuState()} sendCommand={() => {}} color={false} />, 120, 40);
    const f = stripAnsi(r.lastFrame() ?? '');
    expectFits(f, 120, 40);
    expect(f).toMatch(/GPU0 .*▶ pytorch_bs4/);
    expect(f).toMatch(/GPU1 .*▶ vllm_bs8/);
  });
});

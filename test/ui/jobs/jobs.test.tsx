// --dispatch slurm in the TUI: the jobs panel, r (resubmit), t (cancel every
// job), the header, the key bar and the help.
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../../source/ui/App.js';
import { JobsPanel, jobTone } from '../../../source/ui/jobs/JobsPanel.js';
import type { CampaignState, Command } from '../../../source/state/types.js';
import { jobAction, running, scheduler } from '../../state/jobFixtures.js';
import { expectFits, KEYS, press, renderAt, stripAnsi, waitForFrame } from '../helpers.js';
import { id, NOW } from '../fixtures.js';
import { slurmState } from './slurmFixtures.js';

afterEach(() => cleanup());

async function mount(state: CampaignState = slurmState(), columns = 100, rows = 40) {
  const sent: Command[] = [];
  const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />, columns, rows);
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  return { r, sent, frame };
}

describe('jobs panel', () => {
  test('a frame at 80 columns: running with node and GPU, pending with its reason, ended ones last', async () => {
    const r = await renderAt(<JobsPanel state={slurmState()} scheduler={scheduler} selected="13" width={80} rows={6} color={false} />, 80, 20);
    expect(stripAnsi(r.lastFrame() ?? '').split('\n')).toEqual([
      'Jobs (slurm, partition debug, up to 4 at once) · 2 running · 2 pending (1 Resou…',
      '  JOB    EXPERIMENT              STATE                  NODE       GPU   ELAPSED',
      '› 13     0003 pytorch_batch_siz… RUNNING                vm         1       2m05s',
      '  14     0004 vllm_gpu_memory_u… RUNNING                vm         0         30s',
      '  15     0005 pytorch_bs4        PENDING (Resources)    -          -           -',
      '  16     0006 vllm_bs8           PENDING (Priority)     -          -           -',
      '  12     0002 vllm_bs8           COMPLETED              vm         1       4m00s',
      '  11     0001 pytorch_bs4        TIMEOUT (TimeLimit)    vm         0       3m00s',
    ]);
  });

  test('replaces the services panel in the run screen; the header names Slurm and the partition', async () => {
    const { frame } = await mount();
    const f = frame();
    expect(f).toContain('lem-tui backend-comparison (a1b2c3d4) · slurm · partition debug');
    expect(f).not.toContain('SERVICE');
    expect(f).not.toContain('local');
    expect(f).toContain('Jobs (slurm, partition debug, up to 4 at once) · 2 running · 2 pending (1 Resources, 1 Priority)');
    expect(f).toMatch(/› 13 +0003 pytorch_batch_size-8\S* +RUNNING +vm +1 +2m05s/);
    expect(f).toMatch(/15 +0005 pytorch_bs4 +PENDING \(Resources\) +- +- +-/);
    expect(f).toMatch(/11 +0001 pytorch_bs4 +TIMEOUT \(TimeLimit\) +vm +0 +3m00s/);
    expect(f).toContain('on node vm, GPU 0');
    expect(f.split('\n').at(-1)).toContain('r resubmit');
    expect(f).not.toContain('r restart');
  });

  test('stays within the terminal with many jobs: the title says which rows it shows', async () => {
    const many = slurmState(Array.from({ length: 30 }, (_, i) => jobAction(NOW, 100 + i, id(6 + (i % 6)))));
    const { r, frame } = await mount(many, 80, 24);
    expectFits(frame(), 80, 24);
    expect(frame()).toContain('Jobs 1-3 of 36 (slurm, partition debug');
    for (let i = 0; i < 10; i++) await press(r.stdin, 'j');
    expect(frame()).toContain('Jobs 10-12 of 36');
    expect(frame()).toMatch(/› 106 /); // 13 14 15 16, then 100...
  });

  test('without jobs yet the panel says so', async () => {
    const empty = slurmState().meta!;
    const s = { ...slurmState(), jobs: {}, jobOrder: [], meta: { ...empty, scheduler: { ...scheduler, partition: null } } };
    const { frame } = await mount(s);
    expect(frame()).toContain('Jobs (slurm, default partition, up to 4 at once) · no jobs yet');
    expect(frame()).toContain('no job submitted yet');
  });

  test('colours by state: running green, pending yellow, failures red, cancelled and completed dim', () => {
    expect(['RUNNING', 'PENDING', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'CANCELLED', 'COMPLETED'].map(jobTone)).toEqual([
      'ok',
      'warn',
      'bad',
      'bad',
      'bad',
      'muted',
      'muted',
    ]);
  });
});

  test('the experiments table says queued for a submitted experiment whose job waits PENDING, running once it runs', async () => {
    const submitted = slurmState([{ type: 'experiment/started', at: NOW, expId: id(4), attempt: 1 }]);
    const { frame } = await mount(submitted);
    const table = frame().slice(frame().indexOf('Experiments'));
    expect(table).toMatch(/ 2 pytorch_bs4 +pytorch +queued/);
    const started = slurmState([
      { type: 'experiment/started', at: NOW, expId: id(4), attempt: 1 },
      jobAction(NOW, 15, id(4), running('vm', '0', 1)),
    ]);
    cleanup();
    const again = await mount(started);
    expect(again.frame().slice(again.frame().indexOf('Experiments'))).not.toContain('queued');
  });

describe('jobs keys', () => {
  test('j/k select a job; r on a pending job resubmits it at once', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 'j');
    await press(r.stdin, KEYS.down);
    expect(frame()).toMatch(/› 15 +0005/);
    await press(r.stdin, 'r');
    expect(sent).toEqual([{ type: 'resubmitJob', expId: id(4) }]);
    await press(r.stdin, 'k');
    expect(frame()).toMatch(/› 14 +0004/);
  });

  test('r on a running job asks first, naming it; default No, y resubmits', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 'r');
    expect(frame()).toContain('Resubmit job 13 (0003 pytorch_batch_size-8_fp_precision-float16 (cycle 1))?');
    expect(frame()).toContain('Cancels job 13 (RUNNING on node vm) and submits it again');
    await press(r.stdin, KEYS.enter);
    expect(frame()).not.toContain('Resubmit job 13');
    await press(r.stdin, 'r');
    await press(r.stdin, 'n');
    expect(sent).toEqual([]);
    await press(r.stdin, 'r');
    await press(r.stdin, 'y');
    expect(sent).toEqual([{ type: 'resubmitJob', expId: id(2) }]);
  });

  test('a job that ended while the dialog was open is not resubmitted', async () => {
    const sent: Command[] = [];
    const r = await renderAt(<App state={slurmState()} sendCommand={(c) => sent.push(c)} color={false} />, 100, 40);
    await press(r.stdin, 'r');
    const ended = slurmState([jobAction(NOW + 1000, 13, id(2), { ...running(), state: 'COMPLETED' })]);
    r.rerender(<App state={ended} sendCommand={(c) => sent.push(c)} color={false} />);
    await waitForFrame(r, (f) => f.includes('Job 13 has ended (COMPLETED): nothing to resubmit.'));
    await press(r.stdin, 'y');
    expect(sent).toEqual([]);
  });

  test('r on an ended job sends nothing and says why until the next key', async () => {
    const { r, sent, frame } = await mount();
    for (let i = 0; i < 5; i++) await press(r.stdin, 'j');
    expect(frame()).toMatch(/› 11 +0001/);
    await press(r.stdin, 'r');
    expect(sent).toEqual([]);
    expect(frame()).toContain('Job 11 has ended (TIMEOUT): nothing to resubmit');
    await press(r.stdin, 'k');
    expect(frame()).not.toContain('nothing to resubmit');
  });

  test('t asks to cancel every job of the campaign, with how many run and wait; y tears down', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 't');
    expect(frame()).toContain('Cancel every job of the campaign (2 running, 2 pending)?');
    expect(frame()).toContain('Runs scancel on each Slurm job of campaign a1b2c3d4');
    expect(frame()).toContain('This interrupts the 2 running experiments: 0003, 0004.');
    expect(frame()).not.toContain('compose');
    await press(r.stdin, KEYS.enter);
    expect(sent).toEqual([]);
    await press(r.stdin, 't');
    await press(r.stdin, 'y');
    expect(sent).toEqual([{ type: 'teardown' }]);
  });

  test('the help says what r and t do with Slurm', async () => {
    const { r, frame } = await mount();
    await press(r.stdin, '?');
    expect(frame()).toMatch(/r +Resubmit the selected job \(asks if it runs\)/);
    expect(frame()).toMatch(/t +Cancel every job of the campaign \(scancel\), after a confirm/);
    expect(frame()).toMatch(/↑\/↓\/k\/j +Select a job/);
    expect(frame()).not.toContain('Restart the selected service');
  });

  test('while tearing down, r and t do nothing', async () => {
    const { r, sent } = await mount(slurmState([{ type: 'campaign/stopping', at: NOW, reason: 'quit requested' }]));
    for (const k of ['r', 't']) await press(r.stdin, k);
    expect(sent).toEqual([]);
  });
});

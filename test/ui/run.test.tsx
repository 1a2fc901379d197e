import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { KEYS, press, renderAt, stripAnsi, waitForFrame } from './helpers.js';
import { gapState, id, meta, NOW, play, plannedExperiments, retryState, runState, service, stuckState, T0 } from './fixtures.js';

afterEach(() => cleanup());

async function mount(state: CampaignState = runState(), columns = 80, rows = 24) {
  const sent: Command[] = [];
  const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />, columns, rows);
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  return { r, sent, frame };
}

describe('run screen', () => {
  test('shows header, services, experiments, log, status and key bar', async () => {
    const { frame } = await mount();
    const f = frame();
    expect(f).toContain('backend-comparison (a1b2c3d4)');
    expect(f).toContain('persistent · docker: Docker: 2 backends');
    expect(f).toContain('5/12');
    expect(f).toContain('elapsed 10m00s');
    expect(f).toContain('ETA 8m15s');
    // Spinner while starting, restarts, no uptime (its startedAt is the old container's), last exit.
    expect(f).toMatch(/pytorch\s+\S starting\s+1\s+-\s+137/);
    expect(f).toMatch(/vllm\s+running\s+0\s+10m00s\s+-\s+last output 3 s ago/);
    expect(f).toMatch(/› +2 vllm_bs8 +vllm +running +30s/);
    expect(f).toContain('Log: 0006 vllm_bs8 (cycle 2) · following');
    expect(f).toContain('step 40: prefill batch 7');
    expect(f).toContain('Running 6/12: vllm_bs8 (cycle 2) on vllm');
    expect(f).toContain('warn: pytorch restarted after exit 137');
    expect(f).toContain('r restart');
  });

  test('missing measurements read n/a, never 0, and failed energy tracking is marked', async () => {
    const { frame } = await mount(runState(), 120, 40);
    const f = frame();
    expect(f).toMatch(/vllm_gpu_memory_utilization-0\.45 +vllm +done +1m10s +n\/a! +333 +n\/a/);
    expect(f).toMatch(/pytorch_batch_size-8_fp_precision-f… pytorch +failed +1m00s +n\/a +n\/a +n\/a killed \(exit 137\)/);
    expect(f).toContain('! = energy tracking failed');
    expect(f).toMatch(/1 +pytorch_bs4 +pytorch +done +1m30s +1,235 +250 +0\.0617/);
  });

  test('a long experiment list scrolls to keep the running one visible', async () => {
    const names = Array.from({ length: 46 }, (_, i) => ({ name: `config_${i}`, backend: 'vllm' }));
    const s = play([
      { type: 'campaign/planned', at: T0, meta, experiments: plannedExperiments(46, names), services: ['vllm'] },
      { type: 'campaign/started', at: T0 },
      { type: 'experiment/started', at: NOW, expId: id(40), attempt: 1 },
    ]);
    const { frame } = await mount(s);
    expect(frame()).toMatch(/› +1 config_40/);
    expect(frame()).toContain('of 46');
  });

  test('gap countdown and stuck marker', async () => {
    const gap = await mount(gapState());
    expect(gap.frame()).toContain('Next experiment in 42 s');
    const stuck = await mount(stuckState());
    expect(stuck.frame()).toContain('STUCK last output 42 s ago');
  });

  test('j/k and arrows select a service; r restarts the selected one at once when nothing of it runs', async () => {
    const { r, sent, frame } = await mount();
    expect(frame()).toMatch(/› pytorch/);
    await press(r.stdin, 'r');
    expect(sent).toEqual([{ type: 'restartService', service: 'pytorch' }]);
    await press(r.stdin, 'j');
    expect(frame()).toMatch(/› vllm/);
    await press(r.stdin, 'k');
    expect(frame()).toMatch(/› pytorch/);
    await press(r.stdin, KEYS.down);
    expect(frame()).toMatch(/› vllm/);
    await press(r.stdin, KEYS.up);
    expect(frame()).toMatch(/› pytorch/);
  });

  test('r on the service of the running experiment asks first, naming it; default No', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 'j');
    await press(r.stdin, 'r');
    expect(frame()).toContain('Restart service vllm?');
    expect(frame()).toContain('interrupts the running experiment 0006 vllm_bs8 (cycle 2)');
    expect(sent).toEqual([]);
    await press(r.stdin, KEYS.enter);
    expect(frame()).not.toContain('Restart service vllm?');
    expect(sent).toEqual([]);
    await press(r.stdin, 'r');
    await press(r.stdin, 'n');
    expect(sent).toEqual([]);
    await press(r.stdin, 'r');
    await press(r.stdin, 'y');
    expect(sent).toEqual([{ type: 'restartService', service: 'vllm' }]);
    expect(frame()).not.toContain('Restart service');
  });

  test('an open restart dialog follows the state: once the experiment ends it no longer names it', async () => {
    const sent: Command[] = [];
    const r = await renderAt(<App state={runState()} sendCommand={(c) => sent.push(c)} color={false} />, 80, 24);
    const frame = () => stripAnsi(r.lastFrame() ?? '');
    await press(r.stdin, 'j');
    await press(r.stdin, 'r');
    expect(frame()).toContain('interrupts the running experiment 0006 vllm_bs8 (cycle 2)');
    const ended = runState([
      { type: 'experiment/finished', at: NOW + 1000, expId: id(5), status: 'completed', exitCode: 0, reason: null, durationMs: 31_000, metrics: null },
    ]);
    r.rerender(<App state={ended} sendCommand={(c) => sent.push(c)} color={false} />);
    await waitForFrame(r, (f) => f.includes('No experiment is running on vllm now.'));
    expect(frame()).not.toContain('interrupts the running experiment');
    expect(sent).toEqual([]);
  });

  test('t asks before tearing down; Enter, n and Esc say no, y says yes', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 't');
    expect(frame()).toContain('Stop and remove all services of project lem-a1b2c3d4?');
    // The dispatcher's own down command, wrapped in the box.
    expect(frame()).toContain('Runs: docker compose -p lem-a1b2c3d4 -f docker-compose.yml');
    expect(frame()).toContain('N/Esc/Enter = no (default)');
    await press(r.stdin, KEYS.enter);
    expect(frame()).not.toContain('Stop and remove');
    for (const no of ['n', KEYS.esc]) {
      await press(r.stdin, 't');
      await press(r.stdin, no);
      expect(frame()).not.toContain('Stop and remove');
    }
    expect(sent).toEqual([]);
    await press(r.stdin, 't');
    await press(r.stdin, 'y');
    expect(sent).toEqual([{ type: 'teardown' }]);
  });

  test('a dialog gets keys first', async () => {
    const { r, sent } = await mount();
    await press(r.stdin, 't');
    for (const k of ['s', 'p', 'r', 'j', 'q']) await press(r.stdin, k);
    expect(sent).toEqual([]);
  });

  test('s skips the running experiment (by its id), and does nothing in a gap', async () => {
    const a = await mount();
    await press(a.r.stdin, 's');
    expect(a.sent).toEqual([{ type: 'skipCurrent', expId: '0006' }]);
    cleanup();
    const b = await mount(gapState());
    await press(b.r.stdin, 's');
    expect(b.sent).toEqual([]);
  });

  test('p toggles pause; the status says so', async () => {
    const { r, sent } = await mount();
    await press(r.stdin, 'p');
    expect(sent).toEqual([{ type: 'togglePause' }]);
    const pausing = runState([{ type: 'campaign/pauseRequested', at: NOW, paused: true }]);
    r.rerender(<App state={pausing} sendCommand={() => {}} color={false} />);
    await waitForFrame(r, (f) => f.includes('pausing after this one'));
    const paused = runState([
      { type: 'experiment/finished', at: NOW, expId: id(5), status: 'completed', exitCode: 0, reason: null, durationMs: 30_000, metrics: null },
      { type: 'campaign/paused', at: NOW },
    ]);
    r.rerender(<App state={paused} sendCommand={() => {}} color={false} />);
    await waitForFrame(r, (f) => f.includes('Paused after the experiment: p resumes'));
  });

  test('l toggles the log pane; the table takes the room', async () => {
    const { r, frame } = await mount();
    expect(frame()).toContain('Log: 0006');
    await press(r.stdin, 'l');
    expect(frame()).not.toContain('Log: 0006');
    expect(frame()).toContain('3 vllm_gpu_memory_util');
    await press(r.stdin, 'l');
    expect(frame()).toContain('Log: 0006');
  });

  test('PgUp scrolls the log back and holds it; End follows again', async () => {
    const { r, frame } = await mount();
    expect(frame()).toContain('step 40:');
    await press(r.stdin, KEYS.pageUp);
    expect(frame()).toContain('scrolled back (End follows)');
    expect(frame()).not.toContain('step 40:');
    await press(r.stdin, KEYS.pageDown);
    expect(frame()).toContain('step 40:');
    await press(r.stdin, KEYS.pageUp);
    await press(r.stdin, KEYS.end);
    expect(frame()).toContain('following');
    expect(frame()).toContain('step 40:');
  });

  test('? shows the help; ? or Esc closes it; Esc never quits', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, '?');
    expect(frame()).toContain('While running');
    expect(frame()).toContain('Skip the running experiment');
    await press(r.stdin, '?');
    expect(frame()).not.toContain('While running');
    await press(r.stdin, '?');
    await press(r.stdin, KEYS.esc);
    expect(frame()).not.toContain('While running');
    await press(r.stdin, KEYS.esc);
    expect(sent).toEqual([]);
  });

  test('q quits cleanly, a second q forces', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 'q');
    expect(sent).toEqual([{ type: 'quit', force: false }]);
    expect(frame()).toContain('tearing down…');
    await press(r.stdin, 'q');
    expect(sent).toEqual([
      { type: 'quit', force: false },
      { type: 'quit', force: true },
    ]);
  });

  test('Ctrl-C quits cleanly, the second forces, even with a dialog open', async () => {
    const { r, sent, frame } = await mount();
    await press(r.stdin, 't');
    await press(r.stdin, KEYS.ctrlC);
    expect(sent).toEqual([{ type: 'quit', force: false }]);
    expect(frame()).toContain('Tearing down… (Ctrl-C again to force)');
    expect(frame()).not.toContain('Stop and remove');
    await press(r.stdin, KEYS.ctrlC);
    expect(sent.at(-1)).toEqual({ type: 'quit', force: true });
  });

  test('while tearing down, r s p t do nothing', async () => {
    const { r, sent, frame } = await mount(runState([{ type: 'campaign/stopping', at: NOW, reason: 'quit requested' }]));
    expect(frame()).toContain('Tearing down (quit requested)…');
    for (const k of ['r', 's', 'p', 't']) await press(r.stdin, k);
    expect(sent).toEqual([]);
  });

  test('local dispatch: no services panel, t does nothing, last output in the status line', async () => {
    const local = play([
      {
        type: 'campaign/planned',
        at: T0,
        meta: { ...meta, strategy: 'ephemeral', dispatch: 'local', composeProject: null, dispatchReason: 'no Docker engine answers' },
        experiments: plannedExperiments(),
        services: [],
      },
      { type: 'campaign/started', at: T0 },
      { type: 'experiment/started', at: NOW - 30_000, expId: id(0), attempt: 1 },
      { type: 'experiment/output', at: NOW - 3000, expId: id(0), lines: ['hello'] },
      { type: 'tick', at: NOW },
    ]);
    const { r, sent, frame } = await mount(local);
    expect(frame()).not.toContain('SERVICE');
    // The strategy does not apply on the host, so the header does not name it.
    expect(frame()).toContain('local: no Docker engine answers');
    expect(frame()).not.toContain('ephemeral');
    expect(frame()).toContain('last output 3 s ago');
    await press(r.stdin, 't');
    await press(r.stdin, 'r');
    expect(frame()).not.toContain('Stop and remove');
    expect(sent).toEqual([]);
  });

  test('a retry waits with a countdown and the separator shows in the log', async () => {
    const { frame } = await mount(retryState());
    expect(frame()).toMatch(/2 vllm_bs8 +vllm +retry 8s/);
    expect(frame()).toContain('retrying in 8s (attempt 2)');
  });

  test('starting phase', async () => {
    const { frame } = await mount(
      play([
        { type: 'campaign/planned', at: T0, meta, experiments: plannedExperiments(), services: ['pytorch', 'vllm'] },
        { type: 'campaign/starting', at: T0, services: [] },
        service(T0, 'pytorch', { status: 'starting' }),
      ]),
    );
    expect(frame()).toContain('Starting services…');
  });

  test('starting phase on the host and with Slurm: no services to wait for', async () => {
    const starting = (m: typeof meta) =>
      play([
        { type: 'campaign/planned', at: T0, meta: m, experiments: plannedExperiments(), services: [] },
        { type: 'campaign/starting', at: T0, services: [] },
      ]);
    const local = await mount(starting({ ...meta, dispatch: 'local', composeProject: null }));
    expect(local.frame()).toContain('Starting…');
    expect(local.frame()).not.toContain('Starting services');
    const slurm = await mount(starting({ ...meta, dispatch: 'local', scheduler: { kind: 'slurm', partition: null, gres: 'gpu:1', maxJobs: 2, container: 'none' } }));
    expect(slurm.frame()).toContain('Starting: submitting the first jobs…');
  });
});

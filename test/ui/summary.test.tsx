import React from 'react';
import { afterEach, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import type { CampaignState, Command } from '../../source/state/types.js';
import { KEYS, press, renderAt, stripAnsi } from './helpers.js';
import { NOW, runState, summaryState } from './fixtures.js';
import { slotServicesState } from './slotServiceFixtures.js';

afterEach(() => cleanup());

async function mount(state: CampaignState = summaryState(), columns = 120, rows = 40) {
  const sent: Command[] = [];
  const r = await renderAt(<App state={state} sendCommand={(c) => sent.push(c)} color={false} />, columns, rows);
  return { r, sent, frame: () => stripAnsi(r.lastFrame() ?? '') };
}

test('per-config results with mean ± spread, a J/token chart, failures, paths and what still runs', async () => {
  const { frame } = await mount();
  const f = frame();
  expect(f).toContain('backend-comparison (a1b2c3d4) finished in 1h02m');
  expect(f).toContain('10 completed, 1 failed, 1 skipped · exit 1');
  expect(f).toMatch(/CONFIG +BACKEND +N +ENERGY J +TOKENS\/S +J\/TOKEN/);
  // pytorch_bs4: cycles at 1000, 1010, 1020 J over 20,000 tokens.
  expect(f).toMatch(/pytorch_bs4 +pytorch +3 +1,010 ± 10\.0 +400 ± 0 +0\.0505 ± 0\.0005/);
  expect(f).toMatch(/vllm_gpu_memory_utilization-0\.45 +vllm +3 +1,315 ± 7\.07!/);
  expect(f).toContain('! energy tracking failed');
  expect(f).toContain('J/token per config');
  expect(f).toMatch(/pytorch_bs4 +█+\S* +0\.0505/);
  expect(f).toContain('failed  0003 pytorch_batch_size-8_fp_precision-float16 (cycle 1): killed (exit 137), out of memory?');
  expect(f).toContain('skipped 0010 vllm_bs8 (cycle 3): skipped by the user (s)');
  expect(f).toContain('Results:  results');
  expect(f).toContain('Logs:     .state/logs/a1b2c3d4');
  expect(f).toContain('Manifest: .state/campaign_manifest.json');
  expect(f).toContain('Still running (auto_teardown off): pytorch, vllm');
  expect(f).toContain('t tears them down, or later: env PUID=1000 PGID=1000 docker compose -p');
  expect(f).toContain('down --remove-orphans -t 10');
});

test('the chart scales bars to the largest J/token', async () => {
  const { frame } = await mount();
  const bars = frame()
    .split('\n')
    .filter((l) => l.includes('█'))
    .map((l) => (l.match(/█/g) ?? []).length);
  expect(bars).toHaveLength(4);
  expect(Math.max(...bars)).toBeGreaterThan(bars[0]!);
});

test('a config with no completed runs reads n/a', async () => {
  const s = summaryState();
  const exps = s.experiments.map((e) =>
    e.configName === 'vllm_bs8' ? { ...e, status: 'failed' as const, metrics: null, reason: 'boom' } : e,
  );
  const { frame } = await mount({ ...s, experiments: exps });
  expect(frame()).toMatch(/vllm_bs8 +vllm +0 +n\/a +n\/a +n\/a/);
});

test('q exits (quit); t offers teardown of what still runs', async () => {
  const { r, sent, frame } = await mount();
  await press(r.stdin, 't');
  expect(frame()).toContain('Stop and remove all services of project lem-a1b2c3d4?');
  await press(r.stdin, KEYS.enter);
  await press(r.stdin, 't');
  await press(r.stdin, 'y');
  expect(sent).toEqual([{ type: 'teardown' }]);
  await press(r.stdin, 'q');
  expect(sent.at(-1)).toEqual({ type: 'quit', force: false });
});

test('with nothing left running, no still-running line and t does nothing', async () => {
  const { r, sent, frame } = await mount(summaryState([]));
  expect(frame()).not.toContain('Still running');
  await press(r.stdin, 't');
  expect(frame()).not.toContain('Stop and remove');
  await press(r.stdin, '?');
  expect(frame()).toContain('Summary');
  await press(r.stdin, '?');
  await press(r.stdin, KEYS.ctrlC);
  expect(sent).toEqual([{ type: 'quit', force: false }]);
});

test('many configs and failures are cut to the height with counts', async () => {
  const s = summaryState();
  const exps = Array.from({ length: 60 }, (_, i) => ({
    ...s.experiments[0]!,
    expId: `e${i}`,
    configName: `config_${i}`,
    status: i % 3 === 0 ? ('failed' as const) : ('completed' as const),
    reason: i % 3 === 0 ? 'exit 1' : null,
  }));
  const { frame } = await mount({ ...s, experiments: exps }, 80, 24);
  const f = frame();
  expect(f.split('\n').length).toBeLessThan(24);
  expect(f).toMatch(/… \d+ more/);
  expect(f).toContain('q quit');
});

test('an interrupted campaign says how many did not run and how to continue', async () => {
  const s = summaryState();
  const exps = s.experiments.map((e, i) => (i >= 10 ? { ...e, status: 'pending' as const, metrics: null, reason: null } : e));
  const { frame } = await mount({ ...s, experiments: exps, exitCode: 130 });
  const notRun = exps.filter((e) => e.status === 'pending').length;
  expect(notRun).toBe(2);
  expect(frame()).toContain('2 not run (--resume continues)');
});

test('experiments a stop interrupted are "interrupted", in a section not called skipped (issue 25, item 14)', async () => {
  // One failed earlier; 0006 was running when q stopped the campaign.
  const stopped = runState([{ type: 'campaign/finished', at: NOW, exitCode: 130, leftRunning: [] }]);
  const { frame } = await mount(stopped);
  const f = frame();
  expect(f).toContain('4 completed, 1 failed, 1 interrupted, 6 not run (--resume continues)');
  expect(f).toContain('Failed or interrupted (2)');
  expect(f).toContain('interrupted 0006 vllm_bs8 (cycle 2): runs again on --resume');
  expect(f).not.toMatch(/skipped/i);
  cleanup();
  // Only interrupted ones: two slots stopped mid-run.
  const both = await mount(slotServicesState(2, [0, 1], [{ type: 'campaign/finished', at: NOW, exitCode: 130, leftRunning: [] }]));
  expect(both.frame()).toContain('Interrupted (2)');
  expect(both.frame()).toContain('interrupted 0001 pytorch_bs4 (cycle 1): runs again on --resume');
  expect(both.frame()).not.toMatch(/skipped/i);
});

test('the section names every kind it lists: failed, skipped by s, interrupted', async () => {
  const s = summaryState();
  const exps = s.experiments.map((e) => (e.expId === '0012' ? { ...e, status: 'interrupted' as const, reason: 'interrupted: runs again on --resume' } : e));
  const f = (await mount({ ...s, experiments: exps })).frame();
  expect(f).toContain('Failed, skipped or interrupted (3)');
  expect(f).toContain('skipped 0010 vllm_bs8 (cycle 3): skipped by the user (s)');
  expect(f).toContain('interrupted 0012 vllm_gpu_memory_utilization-0.45 (cycle 3): runs again on --resume');
});

// The GPU panel and host energy: the pure helpers, and the panel on screen.
import React from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { experimentCells, experimentColumns } from '../../source/ui/run/ExperimentsTable.js';
import { gpuLine, gpuPanelLines, memoryText, shortGpuName, sparkline } from '../../source/ui/run/gpuLines.js';
import { HEADER_LINES, KEYBAR_LINES, runLayout, STATUS_LINES } from '../../source/ui/run/layout.js';
import { initialGpuTelemetry } from '../../source/state/gpuReducer.js';
import { campaignReducer } from '../../source/state/reducer.js';
import { expectFits, normaliseSpinner, renderAt, stripAnsi } from './helpers.js';
import { formatSummary } from '../../source/report/summaryTable.js';
import { summaryLayout } from '../../source/ui/summary/summaryLayout.js';
import { runState, summaryState } from './fixtures.js';
import { eightGpus, figures, gpuRunState, gpuSamples, gpuUnavailableState, withHostEnergy } from './gpuFixtures.js';
import { NOW } from './fixtures.js';

afterEach(() => cleanup());

describe('sparkline', () => {
  test('one cell per point when it fits, scaled 0..max, newest on the right', () => {
    expect(sparkline([0, 50, 100], 3, 100)).toBe('▁▅█');
    expect(sparkline([100], 4, 100)).toBe('   █');
    expect(sparkline([], 3, 100)).toBe('   ');
  });
  test('a null point is a space, never the lowest bar', () => {
    expect(sparkline([100, null, 100], 3, 100)).toBe('█ █');
    expect(sparkline([null, null], 2, 0)).toBe('  ');
  });
  test('a longer history is averaged into buckets and keeps the width', () => {
    expect(sparkline([0, 0, 100, 100], 2, 100)).toBe('▁█');
    expect(sparkline([null, null, 100, null], 2, 100)).toBe(' █');
    expect([...sparkline(Array.from({ length: 120 }, (_, i) => i), 17, 119)].length).toBe(17);
  });
  test('values past the scale are clamped; a zero scale draws the lowest bar', () => {
    expect(sparkline([200, -5], 2, 100)).toBe('█▁');
    expect(sparkline([0], 1, 0)).toBe('▁');
  });
});

test('GPU names, memory and missing figures', () => {
  expect(shortGpuName('NVIDIA H200')).toBe('H200');
  expect(shortGpuName('NVIDIA GeForce RTX 4090')).toBe('RTX 4090');
  expect(shortGpuName('NVIDIA')).toBe('NVIDIA');
  expect(shortGpuName(null)).toBe('n/a');
  expect(memoryText(81_510, 143_771)).toBe('79.6/140 GiB');
  expect(memoryText(null, 143_771)).toBe('n/a/140 GiB');
  expect(memoryText(null, null)).toBe('n/a');
  const g = { ...gpuRunState(1).gpuTelemetry.gpus[0]!, powerW: null, utilizationPct: null, temperatureC: null };
  const line = gpuLine(g, 80, 600).text;
  expect(line).toMatch(/^GPU0 +H200 +n\/a /);
  expect(line).toContain('util n/a');
  expect(line).toMatch(/n\/a$/);
  expect(line).not.toMatch(/\b0 W|0 °C/);
});

test('the panel asks for no line when off, starting or unavailable, one when nvidia-smi lists no GPU, one per GPU', () => {
  const off = initialGpuTelemetry();
  expect(gpuPanelLines(off)).toBe(0);
  expect(gpuPanelLines({ ...off, status: 'starting' })).toBe(0);
  expect(gpuPanelLines(gpuUnavailableState().gpuTelemetry)).toBe(0);
  expect(gpuPanelLines({ ...off, status: 'running' })).toBe(1);
  expect(gpuPanelLines(eightGpus().gpuTelemetry)).toBe(8);
  // Off, the layout is what it always was.
  expect(runLayout(23, 2, 12, true, 0)).toEqual({ ...runLayout(23, 2, 12, true), gpuRows: 0 });
  for (let h = 12; h <= 80; h++) {
    for (const gpus of [1, 2, 8]) {
      const l = runLayout(h, 2, 30, true, gpus);
      const used = HEADER_LINES + STATUS_LINES + KEYBAR_LINES + 2 + 1 + l.serviceRows + (l.hiddenServicesLine ? 1 : 0) + l.gpuRows + l.experimentRows + (l.showLog ? 1 + l.logRows : 0);
      expect(used, `h=${h} gpus=${gpus}`).toBeLessThanOrEqual(h);
      expect(l.experimentRows).toBeGreaterThanOrEqual(1);
    }
  }
  expect(runLayout(39, 2, 12, true, 8).gpuRows).toBe(8); // 8 GPUs at 120×40
  expect(runLayout(23, 2, 12, true, 2).gpuRows).toBe(2); // 2 GPUs at 80×24
});

test('host energy column: shown with host figures, ≠ where the energies disagree, 80 columns kept', () => {
  expect(experimentColumns(80).columns.map((c) => c.key)).not.toContain('host');
  const narrow = experimentColumns(80, true);
  expect(narrow.columns.map((c) => c.key)).toContain('host');
  expect(narrow.columns.map((c) => c.key)).not.toContain('tps'); // made room
  expect(2 + narrow.columns.reduce((n, c) => n + c.width + 1, -1)).toBeLessThanOrEqual(80);
  expect(experimentColumns(120, true).columns.map((c) => c.key)).toContain('tps');

  const s = withHostEnergy(runState(), '0005');
  const cells = s.experiments.map((e) => experimentCells(e, s.now));
  expect(cells[0]!.host).toBe('1,296'); // 1234.5 × 1.05, agrees
  expect(cells[4]!.host).toBe('2,000≠'); // harness 1,300 J
  expect(cells[2]!.host).toBe('n/a'); // failed: no host figures
  expect(cells[5]!.host).toBe(''); // running
});

test('while nvidia-smi starts, and when there is none, the screen is as without telemetry', async () => {
  const off = await renderAt(<App state={runState()} sendCommand={() => {}} color={false} />, 80, 24);
  for (const status of ['starting', 'unavailable'] as const) {
    const s = campaignReducer(runState(), { type: 'gpu/status', at: runState().now, status, reason: status === 'unavailable' ? 'nvidia-smi not found' : null });
    const r = await renderAt(<App state={s} sendCommand={() => {}} color={false} />, 80, 24);
    expect(normaliseSpinner(stripAnsi(r.lastFrame() ?? ''))).toBe(normaliseSpinner(stripAnsi(off.lastFrame() ?? '')));
  }
});

test('the run screen with host energy fits 80×24 and marks the disagreement', async () => {
  const r = await renderAt(<App state={withHostEnergy(gpuRunState(2), '0005')} sendCommand={() => {}} color={false} />, 80, 24);
  const frame = stripAnsi(r.lastFrame() ?? '');
  expectFits(frame, 80, 24);
  expect(frame).toContain('HOST J');
  expect(frame).toContain('2,000≠');
  expect(frame).toContain('≠ = host differs >25%');
});

test('summaries: host energy per config with ≠, and nothing new without telemetry', () => {
  const s = withHostEnergy(summaryState(), '0005');
  const layout = summaryLayout(s, 80, 23);
  expect(layout.header).toContain('HOST J');
  expect(layout.header).not.toContain('TOKENS/S'); // made room at 80 columns
  expect(layout.disagree).toBe(true);
  expect(layout.configLines[0]).toMatch(/≠/); // pytorch_bs4: 0005 is far from the host
  for (const l of [layout.header, ...layout.configLines]) expect([...l].length).toBeLessThanOrEqual(80);
  expect(summaryLayout(summaryState(), 80, 23).header).not.toContain('HOST J');

  const plain = formatSummary(s, 1);
  expect(plain.find((l) => l.startsWith('config'))).toContain('host J');
  expect(plain.some((l) => l.startsWith('≠ '))).toBe(true);
  expect(formatSummary(summaryState(), 1).join('\n')).not.toMatch(/host J|≠/);
});

test('readings nvidia-smi has not renewed for longer than the stale limit are marked stale, not shown as live', async () => {
  const starting = { type: 'gpu/status' as const, at: NOW, status: 'starting' as const, reason: null, staleAfterMs: 3000 };
  const live = [starting, ...gpuSamples(2)].reduce(campaignReducer, runState());
  const at = async (ms: number) => {
    const s = campaignReducer(live, { type: 'tick', at: NOW + ms });
    const r = await renderAt(<App state={s} sendCommand={() => {}} color={false} />, 80, 24);
    const frame = stripAnsi(r.lastFrame() ?? '');
    expectFits(frame, 80, 24);
    return frame.split('\n').filter((l) => /^GPU\d /.test(l));
  };
  const fresh = await at(2000);
  expect(fresh).toHaveLength(2);
  expect(fresh.join('\n')).not.toContain('stale');
  const stale = await at(12_000);
  expect(stale).toHaveLength(2);
  for (const line of stale) expect(line).toMatch(/⚠ stale 12s$/);
});

test('summaries: the host mean says "(k of n)" when fewer than all completed runs have a host energy', () => {
  const base = withHostEnergy(summaryState(), '0005');
  const first = base.experiments.find((e) => e.status === 'completed' && e.configName === base.experiments[0]!.configName)!;
  const s = { ...base, experiments: base.experiments.map((e) => (e.expId === first.expId ? { ...e, gpu: figures(null) } : e)) };
  const layout = summaryLayout(s, 80, 23);
  const n = s.experiments.filter((e) => e.status === 'completed' && e.configName === first.configName).length;
  expect(layout.configLines[0]).toContain(`(${n - 1} of ${n})`);
  for (const l of [layout.header, ...layout.configLines]) expect([...l].length).toBeLessThanOrEqual(80);
  const plain = formatSummary(s, 1);
  expect(plain.find((l) => l.startsWith(first.configName))).toContain(`(${n - 1} of ${n})`);
  expect(plain.some((l) => l.startsWith('(k of n): host J is the mean of the k completed runs with a host energy'))).toBe(true);
  expect(formatSummary(base, 1).join('\n')).not.toMatch(/ of \d+\)/);
});

test('a wide run screen says in the NOTE column why an experiment has no host energy', async () => {
  const base = withHostEnergy(gpuRunState(2), '0005');
  const first = base.experiments.find((e) => e.status === 'completed')!;
  const s = { ...base, experiments: base.experiments.map((e) => (e.expId === first.expId ? { ...e, gpu: figures(null) } : e)) };
  const r = await renderAt(<App state={s} sendCommand={() => {}} color={false} />, 160, 40);
  const row = stripAnsi(r.lastFrame() ?? '').split('\n').find((l) => l.includes(first.configName) && l.includes('n/a'));
  expect(row).toMatch(/host n\/a: GPU 0 reports no power draw/);
});

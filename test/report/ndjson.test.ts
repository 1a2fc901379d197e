import { describe, expect, it } from 'vitest';
import { createNdjsonReporter, NDJSON_VERSION } from '../../source/report/ndjson.js';
import { planned, S, service, T0 } from '../state/fixtures.js';
import { play } from './script.js';

function events(options?: Parameters<typeof createNdjsonReporter>[1]) {
  const out: string[] = [];
  play(createNdjsonReporter((line) => out.push(line), options));
  return { raw: out, parsed: out.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createNdjsonReporter', () => {
  it('writes one JSON object per line, each with v, type and an ISO time', () => {
    const { raw, parsed } = events({ includeOutput: true });
    for (const line of raw) expect(line).not.toContain('\n');
    for (const e of parsed) {
      expect(e.v).toBe(NDJSON_VERSION);
      expect(typeof e.type).toBe('string');
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('emits the documented events in order, once per meaningful action', () => {
    const types = events().parsed.map((e) => e.type);
    expect(types).toEqual([
      'campaign.started',
      'notice',
      'campaign.phase', // starting
      'service.state',
      'service.state',
      'service.state',
      'service.state', // the repeated vllm "running" is left out
      'campaign.phase', // running
      'cycle.started',
      'experiment.started',
      'experiment.finished',
      'gap.started',
      'experiment.started',
      'experiment.retrying',
      'service.state',
      'service.state',
      'experiment.started',
      'experiment.stuck',
      'experiment.finished',
      'notice',
      'gap.started',
      'cycle.started',
      'experiment.started',
      'experiment.finished',
      'gap.started',
      'experiment.started',
      'campaign.phase', // pause requested
      'experiment.finished',
      'campaign.phase', // paused
      'campaign.phase', // resumed
      'campaign.phase', // stopping
      'notice',
      'campaign.finished',
    ]);
  });

  it('includes output lines (ANSI stripped) only when asked', () => {
    expect(events().parsed.some((e) => e.type === 'experiment.output')).toBe(false);
    const output = events({ includeOutput: true }).parsed.filter((e) => e.type === 'experiment.output');
    expect(output[0]).toMatchObject({ expId: '0001', lines: ['loading model', 'warmup 5/5'] });
  });

  it('experiment.finished carries the metrics, and a failure its reason and tail', () => {
    const finishedEvents = events().parsed.filter((e) => e.type === 'experiment.finished');
    expect(finishedEvents[0]).toMatchObject({
      expId: '0001',
      cycle: 1,
      configName: 'pytorch_fp16',
      status: 'completed',
      durationMs: 185_000,
      metrics: { energyJ: 1234, tokensPerSecond: 120.5, joulesPerToken: 0.0123 },
    });
    expect(finishedEvents[1]).toMatchObject({ expId: '0002', status: 'failed', attempt: 2, exitCode: 1, reason: 'exit 1', metrics: null });
    expect(finishedEvents[1]!.failureTail).toContain('ValueError: bad dtype');
    expect(finishedEvents[2]).not.toHaveProperty('failureTail');
  });

  it('campaign.started carries the plan; campaign.finished the exit code and a summary per config', () => {
    const { parsed } = events();
    const started = parsed[0]!;
    expect(started).toMatchObject({ type: 'campaign.started', campaignId: 'a1b2c3d4', strategy: 'persistent', cycles: 2 });
    expect((started.experiments as unknown[]).length).toBe(4);
    const end = parsed.at(-1)!;
    expect(end).toMatchObject({ type: 'campaign.finished', exitCode: 1, completed: 2, failed: 1, skipped: 1, total: 4, leftRunning: ['pytorch', 'vllm'] });
    expect(end.summary).toEqual([
      expect.objectContaining({ configName: 'pytorch_fp16', n: 2, energyJ: expect.objectContaining({ n: 2, mean: 1284 }) }),
      expect.objectContaining({ configName: 'vllm_bs8', n: 0, energyJ: null, energyCi95: null }),
    ]);
    expect(end.failures).toEqual([
      expect.objectContaining({ expId: '0002', status: 'failed', reason: 'exit 1' }),
      expect.objectContaining({ expId: '0004', status: 'skipped', reason: 'skipped by user' }),
    ]);
  });

  it('retrying, stuck, gap and service events carry their details', () => {
    const { parsed } = events();
    expect(parsed.find((e) => e.type === 'experiment.retrying')).toMatchObject({ expId: '0002', nextAttempt: 2, reason: 'exit 137: killed', delayMs: 2000 });
    expect(parsed.find((e) => e.type === 'experiment.stuck')).toMatchObject({ expId: '0002', silentForMs: 120_000 });
    expect(parsed.find((e) => e.type === 'gap.started')).toMatchObject({ kind: 'experiment', durationMs: 60_000 });
    expect(parsed.filter((e) => e.type === 'service.state').at(-1)).toMatchObject({ service: 'vllm', status: 'running', restarts: 1 });
    expect(parsed.find((e) => e.type === 'campaign.phase' && e.phase === 'stopping')).toMatchObject({ reason: 'tearing down' });
  });
});

describe('service.state after a restart lem-tui made (issue 25, item 14)', () => {
  it('restartedBy says why lem-tui ended the container; null for a crash', () => {
    const out: string[] = [];
    play(createNdjsonReporter((line) => out.push(line)), [
      planned(T0),
      { type: 'service/state', at: T0 + S, state: service('pytorch', { status: 'running', containerId: 'c1' }) },
      { type: 'service/restarting', at: T0 + 2 * S, service: 'pytorch', why: 'residual memory' },
      { type: 'service/state', at: T0 + 3 * S, state: service('pytorch', { status: 'exited', lastExitCode: 137, restarts: 1 }) },
      { type: 'service/state', at: T0 + 9 * S, state: service('vllm', { status: 'exited', lastExitCode: 137 }) },
    ]);
    const states = out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'service.state');
    expect(states.map((e) => [e.service, e.lastExitCode, e.restartedBy])).toEqual([
      ['pytorch', null, null],
      ['pytorch', 137, 'residual memory'],
      ['vllm', 137, null],
    ]);
  });
});

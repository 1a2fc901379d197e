import { describe, expect, it } from 'vitest';
import { createPlainReporter } from '../../source/report/plain.js';
import { createStore } from '../../source/state/store.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action } from '../../source/state/types.js';
import { finished, meta, metrics, planned, S, service, T0 } from '../state/fixtures.js';
import { play, scriptedCampaign } from './script.js';

function lines(actions?: Action[], options?: Parameters<typeof createPlainReporter>[1]): string[] {
  const out: string[] = [];
  play(createPlainReporter((line) => out.push(line), options), actions);
  return out;
}

describe('createPlainReporter', () => {
  it('prints one plain line per transition of a scripted campaign (golden)', () => {
    expect(lines()).toEqual([
      'campaign backend-comparison (id a1b2c3d4) · 4 experiments · 2 cycles, interleaved · strategy persistent · dispatch docker (Docker: 2 backends)',
      'warning: schema_version 4.0.0 is newer than this tool knows',
      'starting services: pytorch, vllm',
      'service pytorch: starting',
      'service vllm: starting',
      'service pytorch: running',
      'service vllm: running',
      'started',
      '── cycle 1/2 ──',
      '[1/4] cycle 1/2 pytorch_fp16 (pytorch) started',
      '[1/4] cycle 1/2 pytorch_fp16 (pytorch) completed in 3m05s · energy 1.23 kJ · 121 tok/s · 0.0123 J/tok',
      'waiting 1m00s before the next experiment',
      '[2/4] cycle 1/2 vllm_bs8 (vllm) started',
      '[2/4] cycle 1/2 vllm_bs8 (vllm) attempt 1 failed: exit 137: killed; retrying in 2s (attempt 2)',
      'service vllm: exited (exit 137)',
      'service vllm: running (restarts 1)',
      '[2/4] cycle 1/2 vllm_bs8 (vllm) started (attempt 2)',
      '[2/4] cycle 1/2 vllm_bs8 (vllm) no output for 2m00s',
      '[2/4] cycle 1/2 vllm_bs8 (vllm) FAILED after 2m03s: exit 1',
      '    | loading model',
      '    | Killed',
      '    | ── attempt 2 · after: exit 137: killed ──',
      '    | loading model',
      '    | Traceback (most recent call last):',
      '    | ValueError: bad dtype',
      'vllm restarted after a failure (1/3)',
      'waiting 5m00s before cycle 2/2',
      '── cycle 2/2 ──',
      '[3/4] cycle 2/2 pytorch_fp16 (pytorch) started',
      '[3/4] cycle 2/2 pytorch_fp16 (pytorch) completed in 3m10s · energy 1.33 kJ · 111 tok/s · 0.0133 J/tok',
      'waiting 1m00s before the next experiment',
      '[4/4] cycle 2/2 vllm_bs8 (vllm) started',
      'pause requested: pausing after the current experiment',
      '[4/4] cycle 2/2 vllm_bs8 (vllm) skipped after 10s: skipped by user',
      'paused',
      'resumed',
      'stopping: tearing down',
      'warning: auto_teardown is off: pytorch, vllm left running',
      'campaign backend-comparison finished in 16m07s: 2 completed, 1 failed, 1 skipped of 4 (exit 1)',
      'config        backend  n      energy J  energy 95% CI    tokens/s            J/token  failed',
      'pytorch_fp16  pytorch  2  1,284 ± 70.7    1,234–1,334  116 ± 7.07  0.0128 ± 0.000707       0',
      'vllm_bs8      vllm     0           n/a            n/a         n/a                n/a       1',
      'failed or skipped:',
      '  0002 vllm_bs8 (cycle 1) failed: exit 1',
      '  0004 vllm_bs8 (cycle 2) skipped: skipped by user',
      'results: results · manifest: .state/campaign_manifest.json · logs: results',
      'still running (auto_teardown is off): pytorch, vllm (compose project lem-a1b2c3d4)',
    ]);
  });

  it('has no escape codes or carriage returns unless colour is asked for', () => {
    for (const line of lines()) expect(line).not.toMatch(/[\u001b\r]/);
    const coloured = lines(undefined, { color: true });
    expect(coloured.some((l) => l.includes('\u001b[31m') && l.includes('FAILED'))).toBe(true);
    expect(coloured.some((l) => l.includes('\u001b[32mcompleted\u001b[39m'))).toBe(true);
    expect(coloured.map((l) => l.replace(/\u001b\[\d+m/g, ''))).toEqual(lines());
  });

  it('prints only the last lines of a failed experiment (20 by default)', () => {
    const output = Array.from({ length: 60 }, (_, i) => `out ${i}`);
    const actions: Action[] = [
      planned(),
      { type: 'experiment/started', at: T0, expId: '0001', attempt: 1 },
      { type: 'experiment/output', at: T0 + S, expId: '0001', lines: output },
      finished('0001', T0 + 2 * S, 2 * S, 'failed', null, 'exit 2', 2),
    ];
    const tail = lines(actions).filter((l) => l.startsWith('    | '));
    expect(tail).toEqual(output.slice(-20).map((l) => `    | ${l}`));
    expect(lines(actions, { failureTailLines: 3 }).filter((l) => l.startsWith('    | '))).toHaveLength(3);
  });

  it('never prints experiment output of a successful experiment', () => {
    const printed = lines().join('\n');
    expect(printed).not.toContain('warmup 5/5');
  });

  it('says n/a, not 0, for a measurement that is missing, and flags failed energy tracking', () => {
    const actions: Action[] = [
      planned(),
      { type: 'experiment/started', at: T0, expId: '0001', attempt: 1 },
      finished('0001', T0 + 5 * S, 5 * S, 'completed', metrics(null, 50, null)),
      { type: 'experiment/started', at: T0 + 6 * S, expId: '0003', attempt: 1 },
      finished('0003', T0 + 9 * S, 3 * S, 'completed', metrics(0, 60, 0, { energyTrackingFailed: true })),
      { type: 'experiment/started', at: T0 + 10 * S, expId: '0002', attempt: 1 },
      finished('0002', T0 + 11 * S, S, 'completed', null, 'no result file found'),
      { type: 'campaign/finished', at: T0 + 12 * S, exitCode: 0, leftRunning: [] },
    ];
    const out = lines(actions);
    expect(out).toContain('[1/4] cycle 1/2 pytorch_fp16 (pytorch) completed in 5s · energy n/a · 50.0 tok/s · n/a J/tok');
    expect(out).toContain('[3/4] cycle 2/2 pytorch_fp16 (pytorch) completed in 3s · energy n/a (energy tracking failed) · 60.0 tok/s · n/a J/tok');
    expect(out).toContain('[2/4] cycle 1/2 vllm_bs8 (vllm) completed in 1s · no result file found');
    expect(out.find((l) => l.startsWith('pytorch_fp16  '))).toMatch(/^pytorch_fp16\s+pytorch\s+2\s+n\/a !\s+n\/a\s+55\.0 ± 7\.07\s+n\/a\s+0$/);
    expect(out).toContain('! energy tracking failed in some results: their energy and J/token are left out');
    expect(out.some((l) => l.startsWith('still running'))).toBe(false);
  });

  it('names the services the engine starts, not every service of the campaign', () => {
    const starting = (services: string[]) =>
      lines([planned(), { type: 'campaign/starting', at: T0, services }]).filter((l) => l.startsWith('starting'));
    expect(starting(['pytorch', 'vllm'])).toEqual(['starting services: pytorch, vllm']);
    expect(starting([])).toEqual(['starting']);
  });

  it('says "stopped" when interrupted and counts what did not run', () => {
    const out = lines([
      planned(),
      { type: 'campaign/started', at: T0 },
      { type: 'campaign/stopping', at: T0 + S, reason: 'quit requested' },
      { type: 'campaign/finished', at: T0 + 2 * S, exitCode: 130, leftRunning: [] },
    ]);
    expect(out).toContain('stopping: quit requested');
    expect(out).toContain('campaign backend-comparison stopped in 2s: 0 completed, 0 failed, 0 skipped, 4 not run of 4 (exit 130)');
  });

  it('leaves the duration out when the campaign never started', () => {
    const out = lines([planned(), { type: 'campaign/finished', at: T0 + S, exitCode: 130, leftRunning: [] }]);
    expect(out).toContain('campaign backend-comparison stopped: 0 completed, 0 failed, 0 skipped, 4 not run of 4 (exit 130)');
  });

  it('prefixes the action time when asked', () => {
    const out = lines([planned(), { type: 'notice', at: T0 + 61 * S, level: 'error', message: 'boom' }], { timestamps: true });
    expect(out[1]).toBe('10:01:01 error: boom');
  });

  it('prints nothing the state does not hold (no environment secrets)', () => {
    process.env.HF_TOKEN = 'hf_do_not_print_me';
    try {
      expect(lines().join('\n')).not.toContain('hf_do_not_print_me');
    } finally {
      delete process.env.HF_TOKEN;
    }
  });
});

describe('service lines in ephemeral mode', () => {
  it('stay quiet while one-off containers come and go, and report a killed one', () => {
    const lines: string[] = [];
    const ephemeral = { ...meta, strategy: 'ephemeral' as const };
    play(createPlainReporter((line) => lines.push(line)), [
      planned(T0, undefined, ephemeral),
      { type: 'service/state', at: T0 + S, state: service('pytorch', { status: 'starting' }) },
      { type: 'service/state', at: T0 + 2 * S, state: service('pytorch', { status: 'running', containerId: 'c1' }) },
      { type: 'service/state', at: T0 + 3 * S, state: service('pytorch', { status: 'exited', lastExitCode: 0 }) },
      { type: 'service/state', at: T0 + 4 * S, state: service('pytorch', { status: 'stopped', lastExitCode: 0 }) },
      { type: 'service/state', at: T0 + 5 * S, state: service('vllm', { status: 'exited', lastExitCode: 137 }) },
    ]);
    expect(lines.filter((line) => line.startsWith('service '))).toEqual(['service vllm: exited (exit 137)']);
  });
});

describe('a restart lem-tui makes itself (issue 25, item 14)', () => {
  it('its kill reads as ours, not as an exit 137; a crash after it reads as a crash', () => {
    const lines: string[] = [];
    play(createPlainReporter((line) => lines.push(line)), [
      planned(T0),
      { type: 'service/state', at: T0 + S, state: service('pytorch', { status: 'running', containerId: 'c1' }) },
      { type: 'service/restarting', at: T0 + 2 * S, service: 'pytorch', why: 'residual memory' },
      { type: 'service/state', at: T0 + 3 * S, state: service('pytorch', { status: 'exited', lastExitCode: 137, restarts: 1 }) },
      { type: 'service/state', at: T0 + 4 * S, state: service('pytorch', { status: 'running', lastExitCode: 137, restarts: 1 }) },
      { type: 'service/state', at: T0 + 9 * S, state: service('pytorch', { status: 'exited', lastExitCode: 139, restarts: 1 }) },
    ]);
    expect(lines.filter((line) => line.startsWith('service '))).toEqual([
      'service pytorch: running',
      'service pytorch: exited (restarted by lem-tui (residual memory), restarts 1)',
      'service pytorch: running (restarts 1)',
      'service pytorch: exited (exit 139, restarts 1)',
    ]);
  });
});

describe('an experiment a stop interrupted (issue 25, item 14)', () => {
  it('is said as interrupted, never skipped, as it ends and in the summary', () => {
    const lines: string[] = [];
    play(createPlainReporter((line) => lines.push(line)), [
      planned(T0),
      { type: 'experiment/started', at: T0 + S, expId: '0001', attempt: 1 },
      { type: 'experiment/finished', at: T0 + 5 * S, expId: '0001', status: 'interrupted', exitCode: null, reason: 'interrupted: runs again on --resume', durationMs: 4 * S, metrics: null },
      { type: 'campaign/finished', at: T0 + 6 * S, exitCode: 130, leftRunning: [] },
    ]);
    expect(lines).toContain('[1/4] cycle 1/2 pytorch_fp16 (pytorch) interrupted after 4s: runs again on --resume');
    expect(lines).toContain('campaign backend-comparison stopped: 0 completed, 0 failed, 0 skipped, 1 interrupted, 3 not run of 4 (exit 130)');
    expect(lines).toContain('interrupted:');
    expect(lines).toContain('  0001 pytorch_fp16 (cycle 1) interrupted: runs again on --resume');
    expect(lines.join('\n')).not.toContain('skipped:');
  });
});

describe('scripted campaign', () => {
  it('is well-formed: times never go back', () => {
    const times = scriptedCampaign().map((a) => a.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('plain reporter: one line per line, whatever the data', () => {
  it('a newline or carriage return in a reason never starts a line of its own', () => {
    const lines: string[] = [];
    const report = createPlainReporter((line) => lines.push(line));
    const store = createStore(campaignReducer, initialCampaignState());
    store.subscribe(report);
    store.dispatch(planned());
    store.dispatch({ type: 'notice', at: T0, level: 'warn', message: 'first\nFAKE: forged line\rsecond\u0007' });
    expect(lines.some((l) => l.startsWith('FAKE'))).toBe(false);
    expect(lines.at(-1)).toContain('first ⏎ FAKE: forged line ⏎ second');
    for (const line of lines) expect(line).not.toMatch(/[\r\n\u0007]/);
  });
});

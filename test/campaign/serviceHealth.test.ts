// health_check against a fake dispatcher: what is restarted, when, within
// which budget, and what the user is told.
import { describe, expect, it } from 'vitest';
import { ServiceHealth } from '../../source/campaign/serviceHealth.js';
import type { RunOutcome } from '../../source/domain/runRequest.js';
import type { RunSettings } from '../../source/config/types.js';
import { fakeDispatcher } from './fakeDispatcher.js';

type Check = RunSettings['healthCheck'];
const CHECK: Check = { enabled: true, interval_experiments: 0, gpu_memory_threshold_pct: 90, restart_on_failure: true, max_restarts: 2 };
const FAILED: RunOutcome = { exitCode: 137, signal: null, durationMs: 1, timedOut: false, cancelled: false, reason: 'killed' };

function health(options: { check?: Partial<Check>; usedPct?: Record<string, number | null>; restartsServices?: boolean; keepsServicesUp?: boolean; restartFails?: string } = {}) {
  const memoryAsks: string[] = [];
  const gpuMemory = options.usedPct
    ? async (service: string) => {
        memoryAsks.push(service);
        const pct = options.usedPct![service];
        return pct === null || pct === undefined ? null : [{ index: 0, usedMb: pct * 10, totalMb: 1000 }];
      }
    : undefined;
  const fake = fakeDispatcher({ capabilities: { restartsServices: options.restartsServices ?? true, keepsServicesUp: options.keepsServicesUp ?? false }, gpuMemory, restartFails: options.restartFails });
  const campaign = new AbortController();
  const notices: string[] = [];
  const said: string[] = [];
  const subject = new ServiceHealth({
    dispatcher: fake.dispatcher,
    healthCheck: { ...CHECK, ...options.check },
    services: ['pytorch', 'vllm'],
    signal: campaign.signal,
    notice: (level, message) => notices.push(`${level}: ${message}`),
    restarting: (service, why) => said.push(`${service}: ${why}`),
  });
  return { subject, calls: fake.calls, notices, memoryAsks, campaign, said };
}

describe('ServiceHealth.afterFailure (restart_on_failure)', () => {
  it('restarts the service, counting each restart against max_restarts, then refuses', async () => {
    const { subject, calls, notices, said } = health();
    for (let n = 0; n < 3; n += 1) await subject.afterFailure('pytorch', FAILED);
    expect(calls).toEqual(['restart pytorch', 'restart pytorch']);
    expect(said).toEqual(['pytorch: after a failure', 'pytorch: after a failure']); // each restart said before it is made
    expect(notices).toEqual([
      'info: pytorch restarted after a failure (1/2)',
      'info: pytorch restarted after a failure (2/2)',
      'warn: pytorch: max_restarts (2) reached, not restarting',
    ]);
  });

  it('the budget is per service', async () => {
    const { subject, calls } = health({ check: { max_restarts: 1 } });
    await subject.afterFailure('pytorch', FAILED);
    await subject.afterFailure('vllm', FAILED);
    expect(calls).toEqual(['restart pytorch', 'restart vllm']);
  });

  it('a restart the dispatcher already did is counted, not repeated', async () => {
    const { subject, calls, notices } = health({ check: { max_restarts: 1 } });
    await subject.afterFailure('pytorch', { ...FAILED, serviceRestarted: true });
    expect(calls).toEqual([]);
    expect(notices).toEqual(['info: pytorch restarted after a failure (1/1)']);
    await subject.afterFailure('pytorch', FAILED);
    expect(calls).toEqual([]); // that one spent the budget
    expect(notices.at(-1)).toBe('warn: pytorch: max_restarts (1) reached, not restarting');
  });

  it('nothing when the dispatcher has no services to restart, restart_on_failure is off, or the campaign stopped', async () => {
    const noServices = health({ restartsServices: false });
    await noServices.subject.afterFailure('pytorch', FAILED);
    const off = health({ check: { restart_on_failure: false } });
    await off.subject.afterFailure('pytorch', FAILED);
    const stopped = health();
    stopped.campaign.abort();
    await stopped.subject.afterFailure('pytorch', FAILED);
    expect([...noServices.calls, ...off.calls, ...stopped.calls]).toEqual([]);
  });

  it('a restart that fails is said, and the campaign goes on', async () => {
    const { subject, notices } = health({ restartFails: 'no such service' });
    await subject.afterFailure('pytorch');
    expect(notices).toEqual(['error: restart of pytorch failed: no such service']);
  });
});

describe('ServiceHealth.residualMemory', () => {
  it('a persistent service is restarted to free what it holds, said as residual memory before the restart', async () => {
    const { subject, calls, said } = health({ keepsServicesUp: true });
    await subject.residualMemory('pytorch-gpu1', 'GPU 1 holds 20.0 GiB', 1024);
    expect(calls).toEqual(['restart pytorch-gpu1']);
    expect(said).toEqual(['pytorch-gpu1: residual memory']);
  });
});

describe('ServiceHealth.afterExperiment (the GPU memory check)', () => {
  it('every interval_experiments, a service over the threshold is restarted', async () => {
    const { subject, calls, notices, memoryAsks, said } = health({ check: { interval_experiments: 2 }, usedPct: { pytorch: 95, vllm: 40 } });
    await subject.afterExperiment();
    expect(memoryAsks).toEqual([]); // not yet: one experiment of two
    await subject.afterExperiment();
    expect(memoryAsks).toEqual(['pytorch', 'vllm']);
    expect(calls).toEqual(['restart pytorch']);
    expect(said).toEqual(['pytorch: health check']);
    expect(notices).toEqual([
      'warn: health check: pytorch holds 95 % of GPU memory (threshold 90 %)',
      'info: pytorch restarted after the health check (1/2)',
    ]);
  });

  it('a service whose GPU memory cannot be read is said once and not asked again', async () => {
    const { subject, notices, memoryAsks } = health({ check: { interval_experiments: 1 }, usedPct: { pytorch: null, vllm: 10 } });
    await subject.afterExperiment();
    await subject.afterExperiment();
    expect(memoryAsks).toEqual(['pytorch', 'vllm', 'vllm']);
    expect(notices).toEqual([
      'info: health check: the GPU memory of pytorch cannot be read (no nvidia-smi or no GPU there); not checked again',
    ]);
  });

  it('the health check restarts spend the same budget as restart_on_failure', async () => {
    const { subject, calls, notices } = health({ check: { interval_experiments: 1, max_restarts: 1 }, usedPct: { pytorch: 99, vllm: 0 } });
    await subject.afterFailure('pytorch', FAILED);
    await subject.afterExperiment();
    expect(calls).toEqual(['restart pytorch']);
    expect(notices.at(-1)).toBe('warn: pytorch: max_restarts (1) reached, not restarting');
  });

  it('nothing when disabled, with interval 0, or without a way to measure', async () => {
    const disabled = health({ check: { enabled: false, interval_experiments: 1 }, usedPct: { pytorch: 99 } });
    const never = health({ check: { interval_experiments: 0 }, usedPct: { pytorch: 99 } });
    const unmeasurable = health({ check: { interval_experiments: 1 } });
    for (const h of [disabled, never, unmeasurable]) await h.subject.afterExperiment();
    expect([...disabled.memoryAsks, ...never.memoryAsks]).toEqual([]);
    expect([...disabled.calls, ...never.calls, ...unmeasurable.calls]).toEqual([]);
  });
});

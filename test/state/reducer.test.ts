import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { FAILURE_TAIL, LOG_RING_SIZE, NOTICE_LIMIT, type Action, type CampaignState } from '../../source/state/types.js';
import { finished, meta, metrics, planned, S, service, T0 } from './fixtures.js';

function run(actions: Action[], from: CampaignState = initialCampaignState()): CampaignState {
  return actions.reduce(campaignReducer, from);
}

const exp = (state: CampaignState, expId: string) => state.experiments.find((e) => e.expId === expId)!;
const started = (expId: string, at: number, attempt = 1): Action => ({ type: 'experiment/started', at, expId, attempt });
const output = (expId: string, at: number, lines: string[], dropped?: number): Action => ({
  type: 'experiment/output',
  at,
  expId,
  lines,
  ...(dropped === undefined ? {} : { dropped }),
});

describe('initialCampaignState', () => {
  it('is empty and not finished', () => {
    const s = initialCampaignState();
    expect(s).toMatchObject({ meta: null, experiments: [], exitCode: null, now: 0, gap: null, currentExpId: null });
    expect(s.log).toEqual({ lines: [], dropped: 0, expId: null });
  });
});

describe('campaignReducer', () => {
  it('campaign/planned sets meta, experiments and stopped services in order', () => {
    const s = run([planned()]);
    expect(s.meta).toEqual(meta);
    expect(s.experiments.map((e) => e.expId)).toEqual(['0001', '0002', '0003', '0004']);
    expect(s.serviceOrder).toEqual(['pytorch', 'vllm']);
    expect(s.services.vllm).toEqual(service('vllm'));
    expect(s.now).toBe(T0);
  });

  it('does not change the state it was given', () => {
    const before = run([planned(), started('0001', T0 + S)]);
    const frozen = JSON.stringify(before);
    run([output('0001', T0 + 2 * S, ['x']), finished('0001', T0 + 3 * S, 2 * S, 'failed', null, 'exit 1')], before);
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('walks the campaign phases', () => {
    let s = run([planned(), { type: 'campaign/confirmRequired', at: T0 }]);
    expect(s.phase).toBe('confirm');
    expect(s.startedAt).toBeNull();
    s = run([{ type: 'campaign/starting', at: T0 + 5 * S, services: [] }], s);
    expect(s).toMatchObject({ phase: 'starting', startedAt: T0 + 5 * S });
    s = run([{ type: 'campaign/started', at: T0 + 9 * S }], s);
    expect(s).toMatchObject({ phase: 'running', startedAt: T0 + 5 * S });
    s = run([{ type: 'campaign/pauseRequested', at: T0 + 10 * S, paused: true }], s);
    expect(s).toMatchObject({ phase: 'running', pauseRequested: true });
    s = run([{ type: 'campaign/paused', at: T0 + 11 * S }], s);
    expect(s.phase).toBe('paused');
    s = run([{ type: 'campaign/resumed', at: T0 + 12 * S }], s);
    expect(s).toMatchObject({ phase: 'running', pauseRequested: false });
    s = run([{ type: 'campaign/pauseRequested', at: T0 + 13 * S, paused: true }, { type: 'campaign/pauseRequested', at: T0 + 14 * S, paused: false }], s);
    expect(s.pauseRequested).toBe(false);
    s = run([{ type: 'campaign/stopping', at: T0 + 15 * S, reason: 'quit requested' }], s);
    expect(s).toMatchObject({ phase: 'stopping', stopReason: 'quit requested' });
    s = run([{ type: 'campaign/finished', at: T0 + 20 * S, exitCode: 130, leftRunning: ['pytorch'] }], s);
    expect(s).toMatchObject({ phase: 'finished', finishedAt: T0 + 20 * S, exitCode: 130, leftRunning: ['pytorch'], currentExpId: null });
  });

  it('campaign/finished records an experiment still running as interrupted', () => {
    const s = run([planned(), started('0001', T0), { type: 'campaign/finished', at: T0 + 7 * S, exitCode: 130, leftRunning: [] }]);
    expect(exp(s, '0001')).toMatchObject({
      status: 'interrupted',
      reason: 'interrupted: runs again on --resume',
      finishedAt: T0 + 7 * S,
      durationMs: 7 * S,
    });
    expect(exp(s, '0002').status).toBe('pending');
  });

  it('campaign/started without a starting action sets startedAt', () => {
    expect(run([planned(), { type: 'campaign/started', at: T0 + S }]).startedAt).toBe(T0 + S);
  });

  it('service/state upserts by service, keeping the order and appending new ones', () => {
    const s = run([
      planned(),
      { type: 'service/state', at: T0, state: service('vllm', { status: 'running', restarts: 1 }) },
      { type: 'service/state', at: T0, state: service('extra', { status: 'starting' }) },
      { type: 'service/state', at: T0, state: service('vllm', { status: 'exited', lastExitCode: 137 }) },
    ]);
    expect(s.serviceOrder).toEqual(['pytorch', 'vllm', 'extra']);
    expect(s.services.vllm).toMatchObject({ status: 'exited', lastExitCode: 137, restarts: 0 });
    expect(s.services.extra?.status).toBe('starting');
  });

  it('experiment/started marks it running, current, and ends a gap', () => {
    const s = run([planned(), { type: 'gap/started', at: T0, kind: 'experiment', endsAt: T0 + 60 * S }, started('0002', T0 + S)]);
    expect(exp(s, '0002')).toMatchObject({ status: 'running', startedAt: T0 + S, attempt: 1, stuck: false });
    expect(s.currentExpId).toBe('0002');
    expect(s.gap).toBeNull();
    expect(s.log).toEqual({ lines: [], dropped: 0, expId: '0002' });
  });

  it('experiment/output appends cleaned lines, stamps lastOutputAt and clears stuck', () => {
    const s = run([
      planned(),
      started('0001', T0),
      { type: 'experiment/stuck', at: T0 + 30 * S, expId: '0001', silentForMs: 30 * S },
      output('0001', T0 + 31 * S, ['\u001b[32mloading\u001b[0m', '10%\r100%', 'done\r']),
    ]);
    expect(s.log.lines).toEqual(['loading', '100%', 'done']);
    expect(exp(s, '0001')).toMatchObject({ lastOutputAt: T0 + 31 * S, stuck: false });
  });

  it('experiment/stuck marks the experiment', () => {
    const s = run([planned(), started('0001', T0), { type: 'experiment/stuck', at: T0 + S, expId: '0001', silentForMs: S }]);
    expect(exp(s, '0001').stuck).toBe(true);
  });

  it('the log resets when another experiment starts or prints', () => {
    let s = run([planned(), started('0001', T0), output('0001', T0, ['a', 'b'], 3)]);
    expect(s.log).toEqual({ lines: ['a', 'b'], dropped: 3, expId: '0001' });
    s = run([finished('0001', T0 + S, S), started('0002', T0 + 2 * S)], s);
    expect(s.log).toEqual({ lines: [], dropped: 0, expId: '0002' });
    s = run([output('0003', T0 + 3 * S, ['c'])], s);
    expect(s.log).toEqual({ lines: ['c'], dropped: 0, expId: '0003' });
  });

  it('experiment/finished completed records duration, exit code and metrics', () => {
    const m = metrics(456, 120, 0.45);
    const s = run([planned(), started('0001', T0), finished('0001', T0 + 90 * S, 90 * S, 'completed', m)]);
    expect(exp(s, '0001')).toMatchObject({
      status: 'completed',
      finishedAt: T0 + 90 * S,
      durationMs: 90 * S,
      exitCode: 0,
      metrics: m,
      failureTail: [],
    });
    expect(s.currentExpId).toBeNull();
  });

  it('experiment/finished failed keeps the last FAILURE_TAIL lines of its log', () => {
    const lines = Array.from({ length: FAILURE_TAIL + 50 }, (_, i) => `line ${i}`);
    const s = run([
      planned(),
      started('0001', T0),
      output('0001', T0 + S, lines),
      finished('0001', T0 + 2 * S, 2 * S, 'failed', null, 'exit 137: killed', 137),
    ]);
    const e = exp(s, '0001');
    expect(e).toMatchObject({ status: 'failed', reason: 'exit 137: killed', exitCode: 137 });
    expect(e.failureTail).toHaveLength(FAILURE_TAIL);
    expect(e.failureTail.at(-1)).toBe(`line ${FAILURE_TAIL + 49}`);
    expect(e.failureTail[0]).toBe('line 50');
  });

  it('experiment/finished skipped keeps its reason and no tail', () => {
    const s = run([planned(), started('0001', T0), output('0001', T0, ['x']), finished('0001', T0 + S, S, 'skipped', null, 'skipped by user', null)]);
    expect(exp(s, '0001')).toMatchObject({ status: 'skipped', reason: 'skipped by user', failureTail: [] });
  });

  it('experiment/retrying sets it back to pending with attempt info and a notice; the next attempt is separated in the log', () => {
    let s = run([
      planned(),
      started('0001', T0),
      output('0001', T0 + S, ['first try']),
      { type: 'experiment/retrying', at: T0 + 10 * S, expId: '0001', nextAttempt: 2, reason: 'exit 137: killed', delayMs: 2 * S },
    ]);
    expect(exp(s, '0001')).toMatchObject({ status: 'pending', attempt: 2, reason: 'exit 137: killed', retryAt: T0 + 12 * S });
    expect(s.notices.at(-1)).toEqual({
      at: T0 + 10 * S,
      level: 'warn',
      message: 'pytorch_fp16 (0001): exit 137: killed; retrying in 2s (attempt 2)',
    });
    s = run([started('0001', T0 + 12 * S, 2)], s);
    expect(exp(s, '0001')).toMatchObject({ status: 'running', attempt: 2, reason: null, retryAt: null, startedAt: T0 + 12 * S });
    expect(s.log.lines).toEqual(['first try', '── attempt 2 · after: exit 137: killed ──']);
  });

  it('a restarted attempt without a known reason gets a plain separator', () => {
    const s = run([planned(), started('0001', T0), started('0001', T0 + S, 2)]);
    expect(s.log.lines).toEqual(['── attempt 2 ──']);
  });

  it('gap/started and gap/ended', () => {
    let s = run([planned(), { type: 'gap/started', at: T0, kind: 'cycle', endsAt: T0 + 300 * S }]);
    expect(s.gap).toEqual({ kind: 'cycle', startedAt: T0, endsAt: T0 + 300 * S });
    s = run([{ type: 'gap/ended', at: T0 + 300 * S }], s);
    expect(s.gap).toBeNull();
  });

  it('notices are bounded to NOTICE_LIMIT, newest kept', () => {
    const actions: Action[] = Array.from({ length: NOTICE_LIMIT + 7 }, (_, i) => ({
      type: 'notice',
      at: T0 + i,
      level: 'info',
      message: `n${i}`,
    }));
    const s = run(actions);
    expect(s.notices).toHaveLength(NOTICE_LIMIT);
    expect(s.notices[0]?.message).toBe('n7');
    expect(s.notices.at(-1)?.message).toBe(`n${NOTICE_LIMIT + 6}`);
  });

  it('tick updates now only (and time never goes back)', () => {
    const before = run([planned()]);
    const after = campaignReducer(before, { type: 'tick', at: T0 + 5 * S });
    expect(after).toEqual({ ...before, now: T0 + 5 * S });
    expect(campaignReducer(after, { type: 'tick', at: T0 }).now).toBe(T0 + 5 * S);
  });

  it('actions about unknown experiments change nothing but the clock', () => {
    const before = run([planned()]);
    const after = run([{ type: 'experiment/stuck', at: T0 + S, expId: '9999', silentForMs: 1 }], before);
    expect(after.experiments).toBe(before.experiments);
  });

  it('campaign/planned again starts from scratch (keeping notices)', () => {
    const s = run([
      planned(),
      { type: 'notice', at: T0, level: 'warn', message: 'kept' },
      started('0001', T0),
      planned(T0 + S),
    ]);
    expect(s.currentExpId).toBeNull();
    expect(s.experiments.every((e) => e.status === 'pending')).toBe(true);
    expect(s.notices.map((n) => n.message)).toEqual(['kept']);
  });
});

describe('log ring', () => {
  it(`holds at most LOG_RING_SIZE (${LOG_RING_SIZE}) lines of 100,000 and counts the rest`, () => {
    let s = run([planned(), started('0001', T0)]);
    const batch = 667; // 20,000 lines/s flushed at 30 Hz
    let n = 0;
    const t = performance.now();
    while (n < 100_000) {
      const size = Math.min(batch, 100_000 - n);
      const lines = Array.from({ length: size }, (_, i) => `\u001b[2mline ${n + i}\u001b[0m`);
      s = campaignReducer(s, output('0001', T0 + n, lines));
      n += size;
      expect(s.log.lines.length).toBeLessThanOrEqual(LOG_RING_SIZE);
    }
    const ms = performance.now() - t;
    expect(s.log.lines).toHaveLength(LOG_RING_SIZE);
    expect(s.log.dropped + s.log.lines.length).toBe(100_000);
    expect(s.log.lines.at(-1)).toBe('line 99999');
    expect(s.log.lines[0]).toBe(`line ${100_000 - LOG_RING_SIZE}`);
    expect(ms).toBeLessThan(2000); // 5 s of a 20,000 lines/s flood
  });

  it('takes one batch of 100,000 lines without cleaning those it drops', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `l${i}`);
    const s = run([planned(), started('0001', T0), output('0001', T0, lines, 25)]);
    expect(s.log.lines).toHaveLength(LOG_RING_SIZE);
    expect(s.log.dropped).toBe(100_000 - LOG_RING_SIZE + 25);
    expect(s.log.lines.at(-1)).toBe('l99999');
  });

  it('counts every line once when batches of any size arrive', () => {
    const sizes = [1, 499, 500, 501, 0, 1000, 3, 250, 250];
    let s = run([planned(), started('0001', T0)]);
    let all: string[] = [];
    for (const size of sizes) {
      const lines = Array.from({ length: size }, (_, i) => `${all.length + i}`);
      all = all.concat(lines);
      s = campaignReducer(s, output('0001', T0, lines));
      expect(s.log.lines).toEqual(all.slice(-LOG_RING_SIZE));
      expect(s.log.dropped).toBe(Math.max(0, all.length - LOG_RING_SIZE));
    }
  });

  it('keeps exactly the last lines and counts the rest, for any batches (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1500 }), { maxLength: 12 }), fc.nat({ max: 50 }), (sizes, senderDropped) => {
        let s = run([planned(), started('0001', T0)]);
        let total = 0;
        let last = '';
        for (const size of sizes) {
          const lines = Array.from({ length: size }, (_, i) => `${total + i}`);
          total += size + senderDropped;
          if (size) last = lines.at(-1)!;
          s = campaignReducer(s, output('0001', T0, lines, senderDropped));
        }
        expect(s.log.lines.length).toBe(Math.min(LOG_RING_SIZE, total - sizes.length * senderDropped));
        expect(s.log.dropped + s.log.lines.length).toBe(total);
        if (s.log.lines.length) expect(s.log.lines.at(-1)).toBe(last);
      }),
      { numRuns: 50 },
    );
  });

  it('a chunk holding several lines becomes several lines', () => {
    const s = run([planned(), started('0001', T0), output('0001', T0, ['a\nb', 'c'])]);
    expect(s.log.lines).toEqual(['a', 'b', 'c']);
  });
});

describe('questions before the start', () => {
  const asked = (at: number, text: string, defaultYes: boolean): Action => ({ type: 'question/asked', at, text, defaultYes });

  it('starts with none', () => {
    expect(initialCampaignState().question).toBeNull();
  });

  it('question/asked sets the question, before any plan; question/answered clears it', () => {
    let s = run([asked(T0, 'An earlier run of this campaign exists (3/8 completed). Resume it?', true)]);
    expect(s.question).toEqual({ text: 'An earlier run of this campaign exists (3/8 completed). Resume it?', defaultYes: true });
    expect(s.meta).toBeNull();
    expect(s.now).toBe(T0);
    s = run([{ type: 'question/answered', at: T0 + S }], s);
    expect(s.question).toBeNull();
    expect(s.now).toBe(T0 + S);
  });

  it('a second question replaces the first; each is a new object', () => {
    const first = run([asked(T0, 'Resume it?', true)]);
    const second = run([asked(T0 + S, 'Run the 2 failed experiments again?', false)], first);
    expect(second.question).toEqual({ text: 'Run the 2 failed experiments again?', defaultYes: false });
    expect(first.question).toEqual({ text: 'Resume it?', defaultYes: true });
    const again = run([{ type: 'question/answered', at: T0 + 2 * S }, asked(T0 + 3 * S, 'Resume it?', true)], first);
    expect(again.question).toEqual(first.question);
    expect(again.question).not.toBe(first.question);
  });

  it('a plan arriving while a question is open keeps it; nothing else changes', () => {
    const before = run([asked(T0, 'Resume anyway?', false)]);
    const s = run([planned()], before);
    expect(s.question).toEqual({ text: 'Resume anyway?', defaultYes: false });
    expect(s.meta).toEqual(meta);
    const { question: _q, now: _n, ...rest } = run([{ type: 'question/answered', at: T0 }], s);
    const { question: _q2, now: _n2, ...restBefore } = s;
    expect(rest).toEqual(restBefore);
  });
});

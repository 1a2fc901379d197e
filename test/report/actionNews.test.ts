// The one action classifier of the line-by-line reporters (issue 26): which
// actions are news, each new cycle once, a service or a job only when the
// reporter's key of it changed; and no other report/ file decides by action
// type (before, plain.ts and ndjson.ts each had a copy of that switch).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActionNews, type News, type NewsKeys } from '../../source/report/actionNews.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import type { Action, CampaignState } from '../../source/state/types.js';
import { meta, planned, S, service, T0 } from '../state/fixtures.js';
import { jobAction, running, scheduler } from '../state/jobFixtures.js';

const keys: NewsKeys = { service: (s) => `${s.status} ${s.restarts}`, job: (j) => `${j.state} ${j.reason} ${j.node}`, plannedServicesShown: false };

/** Each action through the reducer, then the classifier with the state after it (as a store listener sees it). */
function classify(actions: Action[], given: NewsKeys = keys): (News | null)[] {
  const newsOf = createActionNews(given);
  let state: CampaignState = initialCampaignState();
  return actions.map((a) => {
    state = campaignReducer(state, a);
    return newsOf(a, state);
  });
}

const kinds = (news: (News | null)[]) => news.map((n) => n?.kind ?? null);

describe('actionNews', () => {
  it('campaign actions are news each time; what no line reports is none', () => {
    const news = classify([
      planned(),
      { type: 'campaign/starting', at: T0, services: ['pytorch'] },
      { type: 'tick', at: T0 + S },
      { type: 'gap/ended', at: T0 + S },
      { type: 'service/restarting', at: T0 + S, service: 'pytorch', why: 'residual memory' },
      { type: 'question/asked', at: T0 + S, text: 'Go?', defaultYes: true },
      { type: 'campaign/pauseRequested', at: T0 + 2 * S, paused: true },
      { type: 'campaign/stopping', at: T0 + 3 * S, reason: 'quit requested' },
      { type: 'campaign/finished', at: T0 + 4 * S, exitCode: 130, leftRunning: [] },
    ]);
    expect(kinds(news)).toEqual(['planned', 'starting', null, null, null, null, 'pauseRequested', 'stopping', 'finished']);
    expect(news[1]).toEqual({ kind: 'starting', services: ['pytorch'] });
    expect(news[8]).toEqual({ kind: 'finished', exitCode: 130 });
  });

  it('an experiment start says a new cycle once; an unknown experiment starts no cycle', () => {
    const news = classify([
      planned(),
      { type: 'experiment/started', at: T0, expId: '0001', attempt: 1 },
      { type: 'experiment/started', at: T0 + S, expId: '0001', attempt: 2 },
      { type: 'experiment/started', at: T0 + 2 * S, expId: '0002', attempt: 1 },
      { type: 'experiment/started', at: T0 + 3 * S, expId: '0003', attempt: 1 },
      { type: 'experiment/started', at: T0 + 4 * S, expId: '9999', attempt: 1 },
    ]);
    const started = news.slice(1).map((n) => (n?.kind === 'experimentStarted' ? [n.exp?.expId ?? null, n.newCycle] : n));
    expect(started).toEqual([
      ['0001', true],
      ['0001', false],
      ['0002', false],
      ['0003', true],
      [null, false],
    ]);
  });

  it('a service is news when its key changes; a new plan forgets what was seen', () => {
    const up = { type: 'service/state', at: T0, state: service('pytorch', { status: 'running' }) } as const;
    const news = classify([planned(), up, { ...up, at: T0 + S }, planned(T0 + 2 * S), { ...up, at: T0 + 3 * S }]);
    expect(kinds(news)).toEqual(['planned', 'service', null, 'planned', 'service']);
  });

  it('plannedServicesShown: the services a plan brings count as shown, only a change is news', () => {
    const same = { type: 'service/state', at: T0, state: service('pytorch') } as const;
    expect(kinds(classify([planned(), same]))).toEqual(['planned', 'service']);
    expect(kinds(classify([planned(), same], { ...keys, plannedServicesShown: true }))).toEqual(['planned', null]);
  });

  it('a Slurm job: first, then only when its key changes, never for its time alone', () => {
    const slurm = planned(T0, undefined, { ...meta, scheduler });
    const news = classify([
      slurm,
      jobAction(T0, 12, '0001'),
      jobAction(T0 + S, 12, '0001', { elapsedS: 1 }),
      jobAction(T0 + 2 * S, 12, '0001', running('vm', '1', 2)),
      jobAction(T0 + 3 * S, 12, '0001', running('vm', '1', 3)),
    ]);
    expect(news.slice(1).map((n) => (n?.kind === 'job' ? [n.job.state, n.first] : n))).toEqual([['PENDING', true], null, ['RUNNING', false], null]);
  });

  it('output is news without the experiment looked up (the flood); the reporter decides whether to write it', () => {
    const out = { type: 'experiment/output', at: T0, expId: '0001', lines: ['x'] } as const;
    expect(classify([planned(), out])[1]).toEqual({ kind: 'experimentOutput', action: out });
  });
});

describe('one classifier', () => {
  it('no other file of report/ decides by action type', () => {
    const dir = path.resolve('source/report');
    const deciding = fs
      .readdirSync(dir)
      .filter((f) => f !== 'actionNews.ts' && /\.tsx?$/.test(f))
      .filter((f) => /\baction\.type\b|case '[a-z]+\/[a-zA-Z]+'/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(deciding).toEqual([]);
  });
});

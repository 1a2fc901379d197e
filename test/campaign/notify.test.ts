// Webhook notifications against a real HTTP server on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook, webhookPayload, type WebhookPayload } from '../../source/campaign/notify.js';
import type { RunSettings } from '../../source/config/types.js';
import { campaignReducer, initialCampaignState } from '../../source/state/reducer.js';
import { finished, metrics, planned, S, T0 } from '../state/fixtures.js';

function stateWith(statuses: ('completed' | 'failed')[]) {
  let state = campaignReducer(initialCampaignState(), planned(T0));
  state = campaignReducer(state, { type: 'campaign/starting', at: T0, services: [] });
  statuses.forEach((status, i) => {
    const expId = state.experiments[i]!.expId;
    state = campaignReducer(state, { type: 'experiment/started', at: T0 + i * S, expId, attempt: 1 });
    state = campaignReducer(state, finished(expId, T0 + (i + 1) * S, S, status, status === 'completed' ? metrics(100, 10, 0.1) : null, status === 'failed' ? 'exit 1' : null));
  });
  return state;
}

const settings = (patch: Partial<RunSettings>) =>
  ({ webhookUrl: 'http://127.0.0.1:9/hook', notifyOnComplete: true, notifyOnFailure: true, ...patch }) as RunSettings;

describe('webhookPayload', () => {
  it('reports a completed campaign on exit 0 and a failed one on exit 1', () => {
    const done = webhookPayload(stateWith(['completed', 'completed']), settings({}), 0);
    expect(done).toMatchObject({ event: 'campaign.completed', exit_code: 0, completed: 2, failed: 0, campaign_name: 'backend-comparison' });
    const failed = webhookPayload(stateWith(['completed', 'failed']), settings({}), 1);
    expect(failed).toMatchObject({ event: 'campaign.failed', exit_code: 1, completed: 1, failed: 1 });
  });

  it('sends nothing without a URL, when the event is switched off, or for an interrupted run', () => {
    expect(webhookPayload(stateWith(['completed']), settings({ webhookUrl: null }), 0)).toBeNull();
    expect(webhookPayload(stateWith(['completed']), settings({ notifyOnComplete: false }), 0)).toBeNull();
    expect(webhookPayload(stateWith(['failed']), settings({ notifyOnFailure: false }), 1)).toBeNull();
    expect(webhookPayload(stateWith(['completed']), settings({}), 130)).toBeNull();
  });
});

describe('sendWebhook (loopback server)', () => {
  let server: http.Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(handler: http.RequestListener): Promise<string> {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }
  const payload = webhookPayload(stateWith(['completed']), settings({}), 0) as WebhookPayload;

  it('POSTs the payload as JSON', async () => {
    let received: { method?: string; type?: string; body: string } = { body: '' };
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received = { method: req.method, type: req.headers['content-type'], body };
        res.end('ok');
      });
    });
    expect(await sendWebhook(url, payload)).toBe('notification sent (campaign.completed)');
    expect(received.method).toBe('POST');
    expect(received.type).toBe('application/json');
    expect(JSON.parse(received.body)).toEqual(payload);
  });

  it('says so, without throwing, when the webhook refuses, is down or does not answer', async () => {
    const refusing = await serve((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    expect(await sendWebhook(refusing, payload)).toBe('notification not accepted: HTTP 500 from the webhook');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    expect(await sendWebhook(refusing, payload)).toMatch(/^notification failed: /);
    const silent = await serve(() => {}); // never answers
    expect(await sendWebhook(silent, payload, 300)).toBe('notification failed: no answer in 0.3 s');
    server!.closeAllConnections();
  });
});

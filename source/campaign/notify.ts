// `.lem-config.yaml` notifications: POST a JSON payload to webhook_url when a
// campaign completes (on_complete) or ends with failures (on_failure). A
// webhook that is down or slow must never fail or hold up the campaign: one
// try, a short timeout, and the outcome is reported, not thrown.
import type { Store } from '../state/store.js';
import type { RunSettings } from '../config/types.js';
import { selectElapsed, selectProgress } from '../state/selectors.js';
import type { CampaignState } from '../state/types.js';
import { EXIT } from '../domain/exitCodes.js';

export interface WebhookPayload {
  event: 'campaign.completed' | 'campaign.failed';
  campaign_name: string;
  campaign_id: string;
  exit_code: number;
  total: number;
  completed: number;
  failed: number;
  skipped: number;
  duration_seconds: number | null;
  results_dir: string;
  manifest: string;
}

/** The payload to send for a finished campaign, or null when nothing is to be sent. */
export function webhookPayload(state: CampaignState, settings: RunSettings, exitCode: number): WebhookPayload | null {
  if (!settings.webhookUrl || !state.meta) return null;
  const event = exitCode === EXIT.ok ? 'campaign.completed' : exitCode === EXIT.someFailed ? 'campaign.failed' : null;
  if (event === 'campaign.completed' && !settings.notifyOnComplete) return null;
  if (event === 'campaign.failed' && !settings.notifyOnFailure) return null;
  if (!event) return null; // interrupted or never started: nothing finished to tell
  const progress = selectProgress(state);
  const elapsed = selectElapsed(state);
  return {
    event,
    campaign_name: state.meta.campaignName,
    campaign_id: state.meta.campaignId,
    exit_code: exitCode,
    total: progress.total,
    completed: progress.completed,
    failed: progress.failed,
    skipped: progress.skipped,
    duration_seconds: elapsed === null ? null : Math.round(elapsed / 1000),
    results_dir: state.meta.resultsDir,
    manifest: state.meta.manifestPath,
  };
}

/** Sends the payload; resolves to a line for the user ("sent" or why not). */
export async function sendWebhook(url: string, payload: WebhookPayload, timeoutMs = 5000): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok
      ? `notification sent (${payload.event})`
      : `notification not accepted: HTTP ${response.status} from the webhook`;
  } catch (error) {
    const why = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : error.message) : String(error);
    return `notification failed: ${why}`;
  }
}

/** Tells the webhook (when one is set) how the campaign ended; what came of it is a notice. */
export async function notifyFinished(store: Store, settings: RunSettings, exitCode: number): Promise<void> {
  const payload = webhookPayload(store.getState(), settings, exitCode);
  if (!payload || !settings.webhookUrl) return;
  const said = await sendWebhook(settings.webhookUrl, payload);
  store.dispatch({ type: 'notice', at: Date.now(), level: said.startsWith('notification sent') ? 'info' : 'warn', message: said });
}

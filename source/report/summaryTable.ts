// The end-of-campaign summary as plain lines: outcome, a table per config
// (mean ± sample std dev over cycles, bootstrap 95 % CI of the energy),
// failures with their reasons, where the files are, what is still running.
import { experimentLabel } from '../domain/experiment.js';
import { ENERGY_DISAGREEMENT } from '../domain/gpu.js';
import { formatDuration, formatMeanSpread, formatNumber, NA } from '../state/format.js';
import { notOkReason, notOkWords, selectNotOk } from '../state/notOk.js';
import { hostEnergyShare, selectConfigSummaries, selectElapsed, selectProgress } from '../state/selectors.js';
import type { CampaignState } from '../state/types.js';

export function formatSummary(state: CampaignState, exitCode: number): string[] {
  const p = selectProgress(state);
  const verb = exitCode === 130 ? 'stopped' : 'finished';
  const counts = [`${p.completed} completed`, `${p.failed} failed`, `${p.skipped} skipped`];
  if (p.interrupted > 0) counts.push(`${p.interrupted} interrupted`);
  if (p.done < p.total) counts.push(`${p.total - p.done} not run`);
  const elapsed = selectElapsed(state);
  const name = state.meta ? `campaign ${state.meta.campaignName}` : 'campaign';
  const lines = [
    `${name} ${verb}${elapsed === null ? '' : ` in ${formatDuration(elapsed)}`}: ${counts.join(', ')} of ${p.total} (exit ${exitCode})`,
  ];

  const summaries = selectConfigSummaries(state);
  if (summaries.length > 0) {
    // The host's energy column only when telemetry measured some: without it the table is as it always was.
    const host = summaries.some((s) => s.hostEnergyJ !== null);
    const hostCells = (s: (typeof summaries)[number]) =>
      host ? [formatMeanSpread(s.hostEnergyJ) + hostEnergyShare(s) + (s.energyDisagreements > 0 ? ' ≠' : '')] : [];
    const rows = [
      ['config', 'backend', 'n', 'energy J', 'energy 95% CI', ...(host ? ['host J'] : []), 'tokens/s', 'J/token', 'failed'],
      ...summaries.map((s) => [
        s.configName,
        s.backend,
        String(s.n),
        formatMeanSpread(s.energyJ) + (s.energyTrackingFailed > 0 ? ' !' : ''),
        s.energyCi95 ? `${formatNumber(s.energyCi95.low)}–${formatNumber(s.energyCi95.high)}` : NA,
        ...hostCells(s),
        formatMeanSpread(s.tokensPerSecond),
        formatMeanSpread(s.joulesPerToken),
        String(s.failed),
      ]),
    ];
    lines.push(...table(rows, [false, false, ...rows[0]!.slice(2).map(() => true)]));
    if (summaries.some((s) => s.energyTrackingFailed > 0)) {
      lines.push('! energy tracking failed in some results: their energy and J/token are left out');
    }
    if (summaries.some((s) => hostEnergyShare(s) !== '')) {
      lines.push('(k of n): host J is the mean of the k completed runs with a host energy; the others say why (host GPU n/a)');
    }
    if (summaries.some((s) => s.energyDisagreements > 0)) {
      lines.push(`≠ the harness's and the host's energy differ by more than ${Math.round(ENERGY_DISAGREEMENT * 100)} % in some results`);
    }
  }

  const notOk = selectNotOk(state);
  if (notOk.length > 0) {
    lines.push(`${notOkWords(notOk)}:`);
    for (const e of notOk) {
      lines.push(`  ${experimentLabel(e)} ${e.status}: ${notOkReason(e)}`);
    }
  }

  const m = state.meta;
  if (m) lines.push(`results: ${m.resultsDir} · manifest: ${m.manifestPath} · logs: ${m.logDir}`);
  if (state.leftRunning.length > 0) {
    const project = m?.composeProject ? ` (compose project ${m.composeProject})` : '';
    lines.push(`still running (auto_teardown is off): ${state.leftRunning.join(', ')}${project}`);
  }
  return lines;
}

/** Columns padded to their widest cell; `right` aligns numbers. */
function table(rows: string[][], right: boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

// What the summary screen shows, in lines that fit `width` × `height`: the
// outcome, the results table, the chart, failures and what is still running. Pure.
import { experimentLabel } from '../../domain/experiment.js';
import { shellQuote } from '../../domain/shellQuote.js';
import { formatMeanSpread } from '../../state/format.js';
import { notOkReason, notOkWords, selectNotOk } from '../../state/notOk.js';
import { hostEnergyShare, selectConfigSummaries, selectProgress, type ConfigSummary } from '../../state/selectors.js';
import type { CampaignState, ExperimentView } from '../../state/types.js';
import { allocate, cell, wrapWords } from '../text.js';

export interface SummaryLayout {
  /** "3 completed, 1 failed, 2 not run (--resume continues)". */
  outcome: string;
  /** The results table: its header and one line per config (cut with "… n more"). */
  header: string;
  configLines: string[];
  /** Some result's energy tracking failed (a legend line explains the !). */
  flagged: boolean;
  /** Some run's harness and host energies disagree (a legend line explains the ≠). */
  disagree: boolean;
  /** J/token per config for the chart (the first `chart.length` of `chartTotal`); empty when there is no room. */
  chart: { label: string; value: number | null }[];
  chartTotal: number;
  /** Failed, skipped and interrupted experiments: how many, their title ("Failed or skipped (2)"), and the lines there is room for. */
  failures: number;
  failuresTitle: string;
  failureLines: string[];
  /** Services left running, and how to stop them (wrapped). */
  leftRunning: string[];
  stopLines: string[];
}

/** Cuts a list to `rows` lines, the last saying how many were left out. */
function fitList<T>(items: T[], rows: number, render: (t: T) => string): string[] {
  if (items.length <= rows) return items.map(render);
  if (rows <= 0) return [];
  return [...items.slice(0, rows - 1).map(render), `… ${items.length - rows + 1} more`];
}

type ResultKey = 'config' | 'backend' | 'n' | 'energy' | 'host' | 'tps' | 'jpt';

/**
 * The results table's row for a width. `host`: some config has host-measured
 * energy, which stands beside the harness's; below 100 columns tokens/s makes
 * room for it (the summary is about energy).
 */
function resultsRow(width: number, host: boolean, hostShare: boolean): (cells: Record<ResultKey, string>) => string {
  const cols: [ResultKey, number, 'left' | 'right'][] = [
    ['backend', 8, 'left'],
    ['n', 3, 'right'],
    ['energy', 17, 'right'],
    // Room for " (2 of 3)" when some config's host energy rests on fewer than all its runs.
    ['host', hostShare ? 21 : 14, 'right'],
    ['tps', 13, 'right'],
    ['jpt', 17, 'right'],
  ];
  const shown = cols.filter(([key]) => (key === 'host' ? host : key !== 'tps' || !host || width >= 100));
  const fixedW = shown.reduce((n, [, w]) => n + w + 1, 0);
  const config = Math.max(8, Math.min(36, width - fixedW));
  return (c) => [cell(c.config, config), ...shown.map(([key, w, align]) => cell(c[key], w, align))].join(' ');
}

function configCells(c: ConfigSummary): Record<ResultKey, string> {
  return {
    config: c.configName,
    backend: c.backend,
    n: String(c.n),
    energy: formatMeanSpread(c.energyJ) + (c.energyTrackingFailed > 0 ? '!' : ''),
    host: formatMeanSpread(c.hostEnergyJ) + hostEnergyShare(c) + (c.energyDisagreements > 0 ? '≠' : ''),
    tps: formatMeanSpread(c.tokensPerSecond),
    jpt: formatMeanSpread(c.joulesPerToken),
  };
}

function failureLine(e: ExperimentView): string {
  return `${e.status.padEnd(7)} ${experimentLabel(e)}: ${notOkReason(e)}`;
}

function outcomeOf(state: CampaignState): string {
  const p = selectProgress(state);
  const notRun = p.total - p.done;
  return [
    `${p.completed} completed`,
    p.failed ? `${p.failed} failed` : '',
    p.skipped ? `${p.skipped} skipped` : '',
    p.interrupted ? `${p.interrupted} interrupted` : '',
    notRun > 0 ? `${notRun} not run (--resume continues)` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

export function summaryLayout(state: CampaignState, width: number, height: number): SummaryLayout {
  const configs = selectConfigSummaries(state);
  const failures = selectNotOk(state);
  const flagged = configs.some((c) => c.energyTrackingFailed > 0);
  const disagree = configs.some((c) => c.energyDisagreements > 0);
  const left = state.leftRunning;
  const stopHint = state.meta?.commands?.stopHint;
  const stopLines = left.length
    ? wrapWords(stopHint ? `t tears them down, or later: ${shellQuote(stopHint)}` : 't tears them down', width - 2)
    : [];

  // Title and outcome, table header, legends, failures title, 3 paths, still running (2), key bar.
  const fixed = 2 + 1 + (flagged ? 1 : 0) + (disagree ? 1 : 0) + (failures.length ? 1 : 0) + 3 + (left.length ? 1 + stopLines.length : 0) + 1;
  const room = Math.max(0, height - fixed);
  // The results table first (up to half the room), then table and failures in turn; the chart gets what is left.
  const tableFirst = Math.min(configs.length, Math.ceil(room / 2));
  const [moreTable = 0, failRows = 0] = allocate(room - tableFirst, [configs.length - tableFirst, failures.length]);
  const cfgRows = tableFirst + moreTable;
  const leftover = room - cfgRows - failRows;
  const chartRows = leftover >= 2 ? Math.min(configs.length, leftover - 1) : 0;

  const row = resultsRow(
    width,
    configs.some((c) => c.hostEnergyJ !== null),
    configs.some((c) => hostEnergyShare(c) !== ''),
  );
  const chartData = configs.map((c) => ({ label: c.configName, value: c.joulesPerToken?.mean ?? null }));
  return {
    outcome: outcomeOf(state),
    header: row({ config: 'CONFIG', backend: 'BACKEND', n: 'N', energy: 'ENERGY J', host: 'HOST J', tps: 'TOKENS/S', jpt: 'J/TOKEN' }),
    configLines: fitList(configs, cfgRows, (c) => row(configCells(c))),
    flagged,
    disagree,
    chart: chartData.slice(0, chartRows),
    chartTotal: chartData.length,
    failures: failures.length,
    failuresTitle: `${capitalised(notOkWords(failures))} (${failures.length})`,
    failureLines: fitList(failures, failRows, failureLine),
    leftRunning: left,
    stopLines,
  };
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

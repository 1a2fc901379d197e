import { experimentLabel } from '../../domain/experiment.js';
import { shellQuote } from '../../domain/shellQuote.js';
import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { selectConfigSummaries, selectElapsed, selectProgress, type ConfigSummary } from '../../state/selectors.js';
import { formatDuration, formatMeanSpread } from '../../state/format.js';
import { KeyBar } from '../KeyBar.js';
import { allocate, cell, wrapWords } from '../text.js';
import { tone } from '../theme.js';
import { BarChart } from './BarChart.js';

export interface SummaryScreenProps {
  state: CampaignState;
  width: number;
  height: number;
  color: boolean;
  keyBar?: boolean;
}

/** Cuts a list to `rows` lines, the last saying how many were left out. */
function fitList<T>(items: T[], rows: number, render: (t: T) => string): string[] {
  if (items.length <= rows) return items.map(render);
  if (rows <= 0) return [];
  return [...items.slice(0, rows - 1).map(render), `… ${items.length - rows + 1} more`];
}

function resultsHeader(width: number) {
  const cols = { backend: 8, n: 3, energy: 17, tps: 13, jpt: 17 };
  const fixedW = cols.backend + cols.n + cols.energy + cols.tps + cols.jpt + 5;
  const config = Math.max(8, Math.min(36, width - fixedW));
  const row = (c: string[]) =>
    [
      cell(c[0] ?? '', config),
      cell(c[1] ?? '', cols.backend),
      cell(c[2] ?? '', cols.n, 'right'),
      cell(c[3] ?? '', cols.energy, 'right'),
      cell(c[4] ?? '', cols.tps, 'right'),
      cell(c[5] ?? '', cols.jpt, 'right'),
    ].join(' ');
  return { row, header: row(['CONFIG', 'BACKEND', 'N', 'ENERGY J', 'TOKENS/S', 'J/TOKEN']) };
}

export function SummaryScreen({ state, width, height, color, keyBar = true }: SummaryScreenProps) {
  const m = state.meta;
  const p = selectProgress(state);
  const elapsed = selectElapsed(state);
  const configs = selectConfigSummaries(state);
  const failures = state.experiments.filter((e) => e.status === 'failed' || e.status === 'skipped');
  const flagged = configs.some((c) => c.energyTrackingFailed > 0);
  const left = state.leftRunning;
  const stopHint = m?.commands?.stopHint;
  const stopLines = left.length ? wrapWords(stopHint ? `t tears them down, or later: ${shellQuote(stopHint)}` : 't tears them down', width - 2) : [];

  // Title and outcome, table header, legend, failures title, 3 paths, still running (2), key bar.
  const fixed = 2 + 1 + (flagged ? 1 : 0) + (failures.length ? 1 : 0) + 3 + (left.length ? 1 + stopLines.length : 0) + 1;
  const room = Math.max(0, height - fixed);
  // The results table first (up to half the room), then table and failures in turn; the chart gets what is left.
  const tableFirst = Math.min(configs.length, Math.ceil(room / 2));
  const [moreTable = 0, failRows = 0] = allocate(room - tableFirst, [configs.length - tableFirst, failures.length]);
  const cfgRows = tableFirst + moreTable;
  const leftover = room - cfgRows - failRows;
  const chartRows = leftover >= 2 ? Math.min(configs.length, leftover - 1) : 0;

  const { row, header } = resultsHeader(width);
  const cfgLines = fitList(configs, cfgRows, (c: ConfigSummary) =>
    row([
      c.configName,
      c.backend,
      String(c.n),
      formatMeanSpread(c.energyJ) + (c.energyTrackingFailed > 0 ? '!' : ''),
      formatMeanSpread(c.tokensPerSecond),
      formatMeanSpread(c.joulesPerToken),
    ]),
  );
  const chartData = configs.map((c) => ({ label: c.configName, value: c.joulesPerToken?.mean ?? null }));
  const chart = chartData.slice(0, chartRows);
  const failLines = fitList(failures, failRows, (e) => {
    const why = e.reason ?? (e.exitCode !== null ? `exit ${e.exitCode}` : 'no reason recorded');
    return `${e.status === 'skipped' ? 'skipped' : 'failed '} ${experimentLabel(e)}: ${why}`;
  });
  const notRun = p.total - p.done;
  const outcome = [
    `${p.completed} completed`,
    p.failed ? `${p.failed} failed` : '',
    p.skipped ? `${p.skipped} skipped` : '',
    notRun > 0 ? `${notRun} not run (--resume continues)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const exitTone = state.exitCode === 0 ? 'ok' : 'bad';

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color={tone(color, 'accent')}>
          lem-tui
        </Text>{' '}
        <Text bold>{m ? `${m.campaignName} (${m.campaignId})` : ''}</Text> finished
        {elapsed === null ? '' : ` in ${formatDuration(elapsed)}`}
      </Text>
      <Text wrap="truncate">
        {outcome}
        <Text color={tone(color, exitTone)}>{state.exitCode === null ? '' : ` · exit ${state.exitCode}`}</Text>
      </Text>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {cfgLines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
      {flagged ? (
        <Text wrap="truncate" color={tone(color, 'warn')}>
          ! energy tracking failed in some runs: left out of energy and J/token
        </Text>
      ) : null}
      {chart.length > 0 ? (
        <>
          <Text bold wrap="truncate" color={tone(color, 'accent')}>
            {`J/token per config (mean; shorter is better)${chart.length < chartData.length ? `, first ${chart.length} of ${chartData.length}` : ''}`}
          </Text>
          <BarChart data={chart} width={width} color={color} />
        </>
      ) : null}
      {failures.length ? (
        <Text bold wrap="truncate" color={tone(color, 'bad')}>
          Failed or skipped ({failures.length})
        </Text>
      ) : null}
      {failLines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
      <Text wrap="truncate">Results:  {m?.resultsDir ?? '-'}</Text>
      <Text wrap="truncate">Logs:     {m?.logDir ?? '-'}</Text>
      <Text wrap="truncate">Manifest: {m?.manifestPath ?? '-'}</Text>
      {left.length ? (
        <>
          <Text wrap="truncate" color={tone(color, 'warn')}>
            {`Still running (auto_teardown off): ${left.join(', ')}`}
          </Text>
          {stopLines.map((line, i) => (
            <Text key={i} wrap="truncate">
              {'  ' + line}
            </Text>
          ))}
        </>
      ) : null}
      {keyBar ? <KeyBar scope="summary" width={width} color={color} /> : null}
    </Box>
  );
}

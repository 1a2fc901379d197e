import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { selectElapsed } from '../../state/selectors.js';
import { formatDuration } from '../../state/format.js';
import { KeyBar } from '../KeyBar.js';
import { ENERGY_DISAGREEMENT } from '../../domain/gpu.js';
import { tone } from '../theme.js';
import { BarChart } from './BarChart.js';
import { summaryLayout } from './summaryLayout.js';

export interface SummaryScreenProps {
  state: CampaignState;
  width: number;
  height: number;
  color: boolean;
  keyBar?: boolean;
}

export function SummaryScreen({ state, width, height, color, keyBar = true }: SummaryScreenProps) {
  const m = state.meta;
  const elapsed = selectElapsed(state);
  const { outcome, header, configLines, flagged, disagree, chart, chartTotal, failures, failuresTitle, failureLines, leftRunning, stopLines } =
    summaryLayout(state, width, height);
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
      {configLines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
      {flagged ? (
        <Text wrap="truncate" color={tone(color, 'warn')}>
          ! energy tracking failed in some runs: left out of energy and J/token
        </Text>
      ) : null}
      {disagree ? (
        <Text wrap="truncate" color={tone(color, 'warn')}>
          {`≠ harness and host energy differ by more than ${Math.round(ENERGY_DISAGREEMENT * 100)} % in some runs`}
        </Text>
      ) : null}
      {chart.length > 0 ? (
        <>
          <Text bold wrap="truncate" color={tone(color, 'accent')}>
            {`J/token per config (mean; shorter is better)${chart.length < chartTotal ? `, first ${chart.length} of ${chartTotal}` : ''}`}
          </Text>
          <BarChart data={chart} width={width} color={color} />
        </>
      ) : null}
      {failures ? (
        <Text bold wrap="truncate" color={tone(color, 'bad')}>
          {failuresTitle}
        </Text>
      ) : null}
      {failureLines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
      <Text wrap="truncate">Results:  {m?.resultsDir ?? '-'}</Text>
      <Text wrap="truncate">Logs:     {m?.logDir ?? '-'}</Text>
      <Text wrap="truncate">Manifest: {m?.manifestPath ?? '-'}</Text>
      {leftRunning.length ? (
        <>
          <Text wrap="truncate" color={tone(color, 'warn')}>
            {`Still running (auto_teardown off): ${leftRunning.join(', ')}`}
          </Text>
          {stopLines.map((line, i) => (
            <Text key={i} wrap="truncate">
              {'  ' + line}
            </Text>
          ))}
        </>
      ) : null}
      {keyBar ? <KeyBar scope="summary" width={width} color={color} slurm={Boolean(state.meta?.scheduler)} /> : null}
    </Box>
  );
}

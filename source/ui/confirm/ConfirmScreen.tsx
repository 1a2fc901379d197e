import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { KeyBar } from '../KeyBar.js';
import { tone } from '../theme.js';

export interface ConfirmScreenProps {
  state: CampaignState;
  width: number;
  height: number;
  color: boolean;
  composeCommand: string[];
  /** y or n was pressed; waiting for the engine. */
  answered: boolean;
}

/** The command persistent mode starts the services with, as it will be shown. */
export function upCommand(state: CampaignState, composeCommand: string[]): string {
  const project = state.meta?.composeProject;
  return [...composeCommand, ...(project ? ['-p', project] : []), 'up', '-d', ...state.serviceOrder].join(' ');
}

export function ConfirmScreen({ state, width, height, color, composeCommand, answered }: ConfirmScreenProps) {
  const m = state.meta;
  const teardown = m?.autoTeardown
    ? 'containers stay up until teardown at the end of the campaign'
    : 'containers stay up until you tear them down (auto_teardown off)';
  const tradeOffs = [
    'less isolation between experiments (one long-lived container per backend)',
    'GPU memory and model caches may carry over from one experiment to the next',
    teardown,
  ];
  const services = state.serviceOrder;
  // Title, intro, 3 trade-offs, services title, services, command title, command, summary, prompt, key bar,
  // and 4 blank separators when there is room for them.
  const spaced = height >= 15 + Math.min(services.length, 3);
  const fixed = spaced ? 15 : 11;
  const serviceRows = Math.max(1, Math.min(services.length, height - fixed));
  const blank = spaced ? <Text> </Text> : null;
  const shownServices =
    services.length > serviceRows
      ? [...services.slice(0, serviceRows - 1), `… and ${services.length - serviceRows + 1} more`]
      : services;
  const muted = tone(color, 'muted');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        <Text color={tone(color, 'accent')}>lem-tui</Text> {m ? `${m.campaignName} (${m.campaignId})` : ''}
      </Text>
      {blank}
      <Text bold color={tone(color, 'warn')} wrap="truncate">
        Persistent mode starts the services once for all experiments. Trade-offs:
      </Text>
      {tradeOffs.map((t) => (
        <Text key={t} wrap="truncate">
          {'  - ' + t}
        </Text>
      ))}
      {blank}
      <Text bold wrap="truncate">
        Services that will start ({services.length}):
      </Text>
      {shownServices.map((s) => (
        <Text key={s} wrap="truncate">
          {'  ' + s}
        </Text>
      ))}
      {blank}
      <Text bold>Command:</Text>
      <Text wrap="truncate" color={tone(color, 'info')}>
        {'  ' + upCommand(state, composeCommand)}
      </Text>
      {blank}
      <Text wrap="truncate" color={muted}>
        {m
          ? `${state.experiments.length} experiments · ${m.cycles} cycles · ${m.structure} · results in ${m.resultsDir}`
          : ''}
      </Text>
      <Text bold wrap="truncate" color={answered ? muted : undefined}>
        {answered ? 'Answered: waiting for the engine…' : 'Start the services? [Y/n]'}
      </Text>
      <KeyBar scope="confirm" width={width} color={color} />
    </Box>
  );
}

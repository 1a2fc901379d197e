import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { KeyBar } from '../KeyBar.js';
import { tone } from '../theme.js';
import { wrapWords } from '../text.js';
import { shellQuote } from '../../domain/shellQuote.js';

export interface ConfirmScreenProps {
  state: CampaignState;
  width: number;
  height: number;
  color: boolean;
  /** y or n was pressed; waiting for the engine. */
  answered: boolean;
}

/** The command persistent mode starts the services with, exactly as the dispatcher will run it. */
export function upCommand(state: CampaignState): string {
  const up = state.meta?.commands?.up;
  return up ? shellQuote(up) : `up -d ${(state.meta?.commands?.upServices ?? state.serviceOrder).join(' ')}`;
}

export function ConfirmScreen({ state, width, height, color, answered }: ConfirmScreenProps) {
  const m = state.meta;
  const teardown = m?.autoTeardown
    ? 'containers stay up until teardown at the end of the campaign'
    : 'containers stay up until you tear them down (auto_teardown off)';
  const tradeOffs = [
    'less isolation between experiments (one long-lived container per backend)',
    'GPU memory and model caches may carry over from one experiment to the next',
    teardown,
  ];
  // What `up` starts, as the dispatcher says (per GPU slot with --gpus), else the plan's services.
  const services = m?.commands?.upServices ?? state.serviceOrder;
  // Title, intro, 3 trade-offs, services title, services, command title, command, summary, prompt, key bar,
  // and 4 blank separators when there is room for them.
  // The command wraps (it is what runs, -f files and all); continuation lines are indented.
  const command = wrapWords(upCommand(state), Math.max(10, width - 4));
  const spaced = height >= 15 + command.length - 1 + Math.min(services.length, 3);
  const fixed = (spaced ? 15 : 11) + command.length - 1;
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
      {command.map((line, i) => (
        <Text key={i} wrap="truncate" color={tone(color, 'info')}>
          {(i === 0 ? '  ' : '    ') + line}
        </Text>
      ))}
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

import React from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import type { ContainerState } from '../../domain/containerState.js';
import type { CampaignState } from '../../state/types.js';
import { formatDuration, formatSilence } from '../../state/format.js';
import { selectRunningOn } from '../../state/busyServices.js';
import { selectSilentMsOf } from '../../state/selectors.js';
import { cell, truncate } from '../text.js';
import { busyServices, shownServices } from './serviceRows.js';
import { tone } from '../theme.js';

export interface ServicesPanelProps {
  state: CampaignState;
  selected: string | null;
  width: number;
  /** Rows for services (the header line comes on top). */
  rows: number;
  /** Services are hidden: a line under the rows counts them (runLayout's hiddenServicesLine). */
  hiddenLine: boolean;
  color: boolean;
}

const STATE_W = 10;
const RESTARTS_W = 8;
const UPTIME_W = 8;
const EXIT_W = 9;

function stateTone(s: ContainerState['status']) {
  if (s === 'running') return 'ok' as const;
  if (s === 'starting') return 'warn' as const;
  if (s === 'exited' || s === 'error') return 'bad' as const;
  return 'muted' as const;
}

export function ServicesPanel({ state, selected, width, rows, hiddenLine, color }: ServicesPanelProps) {
  const now = state.now;
  const order = state.serviceOrder;
  const nameW = Math.min(16, Math.max(7, ...order.map((s) => s.length)));
  const outW = Math.max(0, width - 2 - nameW - STATE_W - RESTARTS_W - UPTIME_W - EXIT_W - 5);
  // Every service that runs an experiment stays in view (the layout gives them rows).
  const shown = shownServices(order, busyServices(state), selected, rows);
  const hidden = order.filter((s) => !shown.includes(s));
  const project = state.meta?.composeProject;

  const header =
    '  ' +
    [
      cell('SERVICE', nameW),
      cell('STATE', STATE_W),
      cell('RESTARTS', RESTARTS_W),
      cell('UPTIME', UPTIME_W),
      cell('LAST EXIT', EXIT_W),
      cell(`OUTPUT${project ? ` (${project})` : ''}`, outW),
    ].join(' ');

  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {shown.map((name) => {
        const c = state.services[name];
        const status = c?.status ?? 'stopped';
        const isSel = name === selected;
        const exp = selectRunningOn(state, name);
        const uptime =
          c && c.startedAt !== null && (status === 'running' || status === 'starting') ? formatDuration(now - c.startedAt) : '-';
        let output = c?.message ?? '';
        let outTone: 'bad' | 'muted' | 'warn' = c?.message ? 'warn' : 'muted';
        if (exp) {
          const ago = formatSilence(selectSilentMsOf(state, exp));
          output = exp.stuck ? `STUCK ${ago}` : ago;
          outTone = exp.stuck ? 'bad' : 'muted';
        }
        return (
          <Text key={name} wrap="truncate">
            <Text bold={isSel} inverse={isSel && !color}>
              {isSel ? '› ' : '  '}
              {cell(name, nameW)}
            </Text>{' '}
            {status === 'starting' ? (
              <Text color={tone(color, 'warn')}>
                <Spinner type="dots" />
                {cell(' starting', STATE_W - 1)}
              </Text>
            ) : (
              <Text color={tone(color, stateTone(status))}>{cell(status, STATE_W)}</Text>
            )}{' '}
            {cell(String(c?.restarts ?? 0), RESTARTS_W)} {cell(uptime, UPTIME_W)}{' '}
            <Text color={c?.lastExitCode ? tone(color, 'bad') : undefined}>
              {cell(c?.lastExitCode === null || c?.lastExitCode === undefined ? '-' : String(c.lastExitCode), EXIT_W)}
            </Text>{' '}
            <Text color={tone(color, outTone)} bold={exp?.stuck ?? false}>
              {cell(output, outW)}
            </Text>
          </Text>
        );
      })}
      {hiddenLine && hidden.length > 0 ? (
        <Text color={tone(color, 'muted')} wrap="truncate">
          {truncate(`  +${hidden.length} more not shown: ${hidden.join(', ')}`, width)}
        </Text>
      ) : null}
    </Box>
  );
}

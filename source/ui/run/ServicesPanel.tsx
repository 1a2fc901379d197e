// The services panel: one row per long-lived service (persistent with --gpus,
// one per GPU slot), what state it is in, and what runs in it now.
import React from 'react';
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import type { ContainerState } from '../../domain/containerState.js';
import type { CampaignState } from '../../state/types.js';
import { formatDuration, formatSilence } from '../../state/format.js';
import { selectRunningOn } from '../../state/busyServices.js';
import { ourLastExit } from '../../state/ourRestarts.js';
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
      {shown.map((name) => (
        <ServiceRow key={name} state={state} name={name} selected={name === selected} nameW={nameW} outW={outW} color={color} />
      ))}
      {hiddenLine && hidden.length > 0 ? (
        <Text color={tone(color, 'muted')} wrap="truncate">
          {truncate(`  +${hidden.length} more not shown: ${hidden.join(', ')}`, width)}
        </Text>
      ) : null}
    </Box>
  );
}

interface ServiceRowProps {
  state: CampaignState;
  name: string;
  selected: boolean;
  nameW: number;
  outW: number;
  color: boolean;
}

/** One service: its state, restarts, uptime, last exit (or "lem-tui" when a restart of ours ended it) and what runs in it. */
function ServiceRow({ state, name, selected: isSel, nameW, outW, color }: ServiceRowProps) {
  const c = state.services[name];
  const status = c?.status ?? 'stopped';
  const exp = selectRunningOn(state, name);
  // A container that is starting has no uptime yet: its startedAt is the old container's.
  const uptime = c && c.startedAt !== null && status === 'running' ? formatDuration(state.now - c.startedAt) : '-';
  const ours = ourLastExit(state, name);
  const lastExit = c?.lastExitCode === null || c?.lastExitCode === undefined ? '-' : ours ? 'lem-tui' : String(c.lastExitCode);
  let output = c?.message ?? ours ?? '';
  let outTone: 'bad' | 'muted' | 'warn' = c?.message ? 'warn' : 'muted';
  if (exp) {
    const ago = formatSilence(selectSilentMsOf(state, exp));
    output = exp.stuck ? `STUCK ${ago}` : ago;
    outTone = exp.stuck ? 'bad' : 'muted';
  }
  return (
    <Text wrap="truncate">
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
      <Text color={c?.lastExitCode && !ours ? tone(color, 'bad') : undefined}>{cell(lastExit, EXIT_W)}</Text>{' '}
      <Text color={tone(color, outTone)} bold={exp?.stuck ?? false}>
        {cell(output, outW)}
      </Text>
    </Text>
  );
}

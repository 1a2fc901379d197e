import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { schedulerLabel } from '../../state/jobs.js';
import { selectElapsed, selectEta, selectProgress } from '../../state/selectors.js';
import { formatDuration } from '../../state/format.js';
import { bar, truncate } from '../text.js';
import { tone, type Tone } from '../theme.js';

export interface HeaderProps {
  state: CampaignState;
  width: number;
  color: boolean;
  /** q or Ctrl-C was pressed. */
  quitting: boolean;
}

export function phaseLabel(state: CampaignState, quitting: boolean): { text: string; tone: Tone } {
  if (quitting || state.phase === 'stopping') return { text: 'tearing down…', tone: 'bad' };
  switch (state.phase) {
    case 'starting':
      return { text: 'starting', tone: 'warn' };
    case 'paused':
      return { text: 'paused', tone: 'warn' };
    case 'finished':
      return { text: 'finished', tone: 'ok' };
    case 'confirm':
      return { text: 'waiting for confirmation', tone: 'warn' };
    default:
      if (state.pauseRequested) return { text: state.running.length > 1 ? 'pausing after these' : 'pausing after this one', tone: 'ok' };
      return { text: runningText(state) ?? 'running', tone: 'ok' };
  }
}

/**
 * With --gpus: "3 running on GPUs 0,1,3" (or "1 running on GPU 2"); without,
 * several at once still say how many. null with one slot and no GPUs: "running".
 */
export function runningText(state: CampaignState): string | null {
  const n = state.running.length;
  if (!state.meta?.gpus || n === 0) return n > 1 ? `${n} running` : null;
  const labels = [...new Set(state.running.flatMap((id) => state.experiments.find((e) => e.expId === id)?.gpus ?? []))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }),
  );
  if (labels.length === 0) return `${n} running`;
  return `${n} running on GPU${labels.length === 1 ? '' : 's'} ${labels.join(',')}`;
}

/** Two lines: what runs where, then progress, elapsed and ETA. */
export function Header({ state, width, color, quitting }: HeaderProps) {
  const m = state.meta;
  const title = m ? `${m.campaignName} (${m.campaignId})` : 'loading campaign…';
  // Local dispatch runs on the host: the container strategy does not apply. With Slurm: where the jobs go.
  const dispatch = m?.scheduler
    ? schedulerLabel(m.scheduler)
    : m
      ? `${m.dispatch === 'local' ? '' : `${m.strategy} · `}${m.dispatch}${m.dispatchReason ? `: ${m.dispatchReason}` : ''}`
      : '';
  const how = m ? dispatch + (m.composeFile ? ` · ${m.composeFile}` : '') : '';
  const p = selectProgress(state);
  const elapsed = selectElapsed(state);
  const eta = selectEta(state);
  const phase = phaseLabel(state, quitting);
  const counts = `${p.done}/${p.total}`;
  const times = ` elapsed ${elapsed === null ? '-' : formatDuration(elapsed)} · ETA ${eta === null ? '-' : formatDuration(eta)} · `;
  const failedNote = p.failed > 0 ? ` · ${p.failed} failed` : '';
  // "[" + bar + "] " around the bar.
  const barWidth = Math.max(0, Math.min(40, width - 3 - counts.length - times.length - phase.text.length - failedNote.length));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color={tone(color, 'accent')}>
          lem-tui
        </Text>{' '}
        <Text bold>{truncate(title, Math.max(10, width - 10))}</Text>
        <Text color={tone(color, 'muted')}>{how ? ` · ${how}` : ''}</Text>
      </Text>
      <Text wrap="truncate">
        {barWidth >= 5 ? (
          <Text color={tone(color, 'ok')}>{'[' + bar(p.fraction, barWidth) + '] '}</Text>
        ) : null}
        <Text bold>{counts}</Text>
        {times}
        <Text color={tone(color, phase.tone)} bold>
          {phase.text}
        </Text>
        <Text color={tone(color, 'bad')}>{failedNote}</Text>
      </Text>
    </Box>
  );
}

import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState, ExperimentView } from '../../state/types.js';
import { formatDuration, formatSilence } from '../../state/format.js';
import { selectSilentMsOf } from '../../state/selectors.js';
import { tone, type Tone } from '../theme.js';
import { runningExperiment } from '../uiState.js';

export interface StatusLineProps {
  state: CampaignState;
  width: number;
  color: boolean;
  quitPresses: number;
  /** The running experiment to describe (the one the log pane shows); default: the state's followed one. */
  shown?: ExperimentView | null;
}

/** Seconds left, rounded up so it never reads 0 while still waiting: "42 s", "4m12s". */
export function countdown(ms: number): string {
  const left = Math.max(0, ms);
  return left < 60_000 ? `${Math.ceil(left / 1000)} s` : formatDuration(left);
}

/** The one thing to know right now: tearing down, the gap countdown, pause, or what runs. */
export function statusText(state: CampaignState, quitPresses: number, shown = runningExperiment(state)): { text: string; tone: Tone } {
  const now = state.now;
  if (quitPresses > 1) return { text: 'Forcing: killing what is left…', tone: 'bad' };
  if (quitPresses === 1 || state.phase === 'stopping') {
    const why = state.stopReason ? ` (${state.stopReason})` : '';
    return { text: `Tearing down${why}… (Ctrl-C again to force)`, tone: 'bad' };
  }
  if (state.phase === 'starting') return { text: 'Starting services…', tone: 'warn' };
  if (state.phase === 'paused') return { text: 'Paused after the experiment: p resumes', tone: 'warn' };
  const pausing = state.pauseRequested ? ' · pausing after this one (p cancels)' : '';
  // With --gpus a slot may wait while others run: what runs comes first then.
  if (state.gap && !(shown && state.running.length > 0)) {
    const left = countdown(state.gap.endsAt - now);
    const cooling = state.gap.coolingFor;
    if (cooling !== undefined) {
      const waiting = cooling === null ? 'GPUs cool' : `waiting for ${cooling}`;
      return { text: `Cooling down: ${waiting} (at most ${left} more)${pausing}`, tone: 'info' };
    }
    return { text: `Next ${state.gap.kind} in ${left} (thermal gap)${pausing}`, tone: 'info' };
  }
  const exp = shown;
  if (exp) {
    const at = state.experiments.indexOf(exp) + 1;
    const attempt = exp.attempt > 1 ? `, attempt ${exp.attempt}` : '';
    const silentMs = selectSilentMsOf(state, exp);
    const quiet = state.serviceOrder.length === 0 && silentMs !== null ? ` · ${formatSilence(silentMs)}` : '';
    const gpu = exp.gpus?.length ? ` · GPU${exp.gpus.length > 1 ? 's' : ''} ${exp.gpus.join(',')}` : '';
    const others = state.running.length > 1 ? ` · ${state.running.length - 1} more running` : '';
    const gap = state.gap ? ` · next start in ${countdown(state.gap.endsAt - now)}` : '';
    return {
      text: `Running ${at}/${state.experiments.length}: ${exp.configName} (cycle ${exp.cycleIndex + 1}${attempt}) on ${exp.service || exp.backend}${gpu}${quiet}${others}${gap}${pausing}`,
      tone: exp.stuck ? 'bad' : 'ok',
    };
  }
  return { text: pausing ? pausing.slice(3) : '', tone: 'muted' };
}

export function StatusLine({ state, width, color, quitPresses, shown }: StatusLineProps) {
  const s = statusText(state, quitPresses, shown === undefined ? runningExperiment(state) : shown);
  const notice = state.notices[state.notices.length - 1];
  const noticeTone: Tone = notice?.level === 'error' ? 'bad' : notice?.level === 'warn' ? 'warn' : 'info';
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" color={tone(color, s.tone)}>
        {s.text || ' '}
      </Text>
      <Text wrap="truncate" color={notice ? tone(color, noticeTone) : undefined}>
        {notice ? `${notice.level === 'info' ? '' : notice.level + ': '}${notice.message}` : ' '}
      </Text>
    </Box>
  );
}

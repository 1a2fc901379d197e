import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState, ExperimentView } from '../../state/types.js';
import { formatDuration, formatSilence } from '../../state/format.js';
import { selectJobOf, selectJobSummary } from '../../state/jobs.js';
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
  /** Why the last key did nothing: shown instead of the latest notice until the next key. */
  hint?: string | null;
}

/** Seconds left, rounded up so it never reads 0 while still waiting: "42 s", "4m12s". */
export function countdown(ms: number): string {
  const left = Math.max(0, ms);
  return left < 60_000 ? `${Math.ceil(left / 1000)} s` : formatDuration(left);
}

/** What a start waits for: services only where there are any (not on the host, not with Slurm). */
function startingText(state: CampaignState): string {
  if (state.meta?.scheduler) return 'Starting: submitting the first jobs…';
  return state.meta?.dispatch === 'local' ? 'Starting…' : 'Starting services…';
}

/** The one thing to know right now: tearing down, the gap countdown, pause, or what runs. */
export function statusText(state: CampaignState, quitPresses: number, shown = runningExperiment(state)): { text: string; tone: Tone } {
  const now = state.now;
  if (quitPresses > 1) return { text: 'Forcing: killing what is left…', tone: 'bad' };
  if (quitPresses === 1 || state.phase === 'stopping') {
    const why = state.stopReason ? ` (${state.stopReason})` : '';
    return { text: `Tearing down${why}… (Ctrl-C again to force)`, tone: 'bad' };
  }
  if (state.phase === 'starting') return { text: startingText(state), tone: 'warn' };
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
    const where = runsOn(state, exp);
    const others = state.running.length > 1 ? ` · ${state.running.length - 1} more running` : '';
    const gap = state.gap ? ` · next start in ${countdown(state.gap.endsAt - now)}` : '';
    return {
      text: `Running ${at}/${state.experiments.length}: ${exp.configName} (cycle ${exp.cycleIndex + 1}${attempt}) on ${where}${gpu}${quiet}${others}${gap}${pausing}`,
      tone: exp.stuck ? 'bad' : 'ok',
    };
  }
  // With Slurm and nothing running: what the jobs wait for.
  if (state.meta?.scheduler && state.jobOrder.length > 0) return { text: `Slurm: ${selectJobSummary(state)}${pausing}`, tone: 'warn' };
  return { text: pausing ? pausing.slice(3) : '', tone: 'muted' };
}

/** The service it runs on; with Slurm the node (and GPUs) of its job once Slurm placed it. */
function runsOn(state: CampaignState, exp: ExperimentView): string {
  const job = state.meta?.scheduler ? selectJobOf(state, exp.expId) : null;
  if (job?.node) return `node ${job.node}${job.gpus ? `, GPU ${job.gpus}` : ''}`;
  return exp.runsOn ?? (exp.service || exp.backend);
}

export function StatusLine({ state, width, color, quitPresses, shown, hint = null }: StatusLineProps) {
  const s = statusText(state, quitPresses, shown === undefined ? runningExperiment(state) : shown);
  const notice = state.notices[state.notices.length - 1];
  const noticeTone: Tone = notice?.level === 'error' ? 'bad' : notice?.level === 'warn' ? 'warn' : 'info';
  // A hint (why the last key did nothing) stands over the latest notice until the next key.
  const second: { text: string; tone: Tone } | null = hint
    ? { text: hint, tone: 'warn' }
    : notice
      ? { text: `${notice.level === 'info' ? '' : notice.level + ': '}${notice.message}`, tone: noticeTone }
      : null;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" color={tone(color, s.tone)}>
        {s.text || ' '}
      </Text>
      <Text wrap="truncate" color={second ? tone(color, second.tone) : undefined}>
        {second ? second.text : ' '}
      </Text>
    </Box>
  );
}

import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState, ExperimentView } from '../../state/types.js';
import { formatDuration, NA, formatNumber } from '../../state/format.js';
import { energyDisagrees } from '../../state/selectors.js';
import { selectJobOf } from '../../state/jobs.js';
import { ENERGY_DISAGREEMENT } from '../../domain/gpu.js';
import { cell, windowStart } from '../text.js';
import { tone, type Tone } from '../theme.js';

export interface ExperimentsTableProps {
  state: CampaignState;
  width: number;
  /** Rows for experiments (a title and a header line come on top). */
  rows: number;
  color: boolean;
  /** The row marked › (the experiment the log pane shows); default: the state's followed one. */
  marked?: string | null;
}

type ColumnKey = 'cycle' | 'config' | 'backend' | 'status' | 'gpu' | 'time' | 'energy' | 'host' | 'tps' | 'jpt';

interface Column {
  key: ColumnKey;
  title: string;
  width: number;
  align: 'left' | 'right';
}

/**
 * Column layout for a width: fixed numeric columns, the config gets what is
 * left, a note column when wide. `host`: some experiment has host-measured GPU
 * figures, so the host's energy stands beside the harness's; below 90 columns
 * tokens/s makes room for it (the table is about energy). `gpuWidth` > 0
 * (the campaign runs with --gpus): a GPU column that wide says where each ran.
 */
export function experimentColumns(width: number, host = false, gpuWidth = 0): { columns: Column[]; noteWidth: number } {
  const all: Column[] = [
    { key: 'cycle', title: 'CYC', width: 3, align: 'right' },
    { key: 'config', title: 'CONFIG', width: 0, align: 'left' },
    { key: 'backend', title: 'BACKEND', width: 8, align: 'left' },
    { key: 'status', title: 'STATUS', width: 8, align: 'left' },
    { key: 'gpu', title: 'GPU', width: gpuWidth, align: 'left' },
    { key: 'time', title: 'TIME', width: 7, align: 'right' },
    { key: 'energy', title: 'ENERGY J', width: 9, align: 'right' },
    { key: 'host', title: 'HOST J', width: 9, align: 'right' },
    { key: 'tps', title: 'TOK/S', width: 7, align: 'right' },
    { key: 'jpt', title: 'J/TOK', width: 8, align: 'right' },
  ];
  const fixed = all.filter((c) => (c.key === 'host' ? host : c.key === 'gpu' ? gpuWidth > 0 : c.key !== 'tps' || !host || width >= 90));
  const used = 2 + fixed.reduce((n, c) => n + c.width, 0) + fixed.length - 1;
  const rest = Math.max(6, width - used);
  const config = Math.min(36, rest);
  fixed[1]!.width = config;
  const noteWidth = rest - config > 10 ? rest - config - 1 : 0;
  return { columns: fixed, noteWidth };
}

/** `queued`: with Slurm, its job waits in the queue (PENDING): submitted, not running. */
function statusOf(e: ExperimentView, now: number, queued = false): { text: string; tone: Tone | null } {
  switch (e.status) {
    case 'running':
      if (queued) return { text: 'queued', tone: 'warn' };
      return { text: e.attempt > 1 ? `retry ${e.attempt}` : 'running', tone: 'info' };
    case 'completed':
      return { text: 'done', tone: 'ok' };
    case 'failed':
      return { text: 'failed', tone: 'bad' };
    case 'skipped':
      return { text: 'skipped', tone: 'warn' };
    case 'interrupted':
      // Stopped with the campaign (the cell is 8 wide; the summary says "interrupted").
      return { text: 'stopped', tone: 'warn' };
    default:
      if (e.retryAt !== undefined && e.retryAt !== null)
        return { text: `retry ${formatDuration(Math.max(0, e.retryAt - now))}`, tone: 'warn' };
      return { text: 'pending', tone: 'muted' };
  }
}

/**
 * Cells of one row. Pending and running rows have no results yet (blank);
 * finished rows show n/a for what is missing, ! when the harness's energy
 * tracking failed, ≠ on the host's energy when the two energies disagree.
 */
export function experimentCells(e: ExperimentView, now: number, queued = false): Record<ColumnKey, string> {
  const finished = e.status === 'completed' || e.status === 'failed' || e.status === 'skipped' || e.status === 'interrupted';
  const m = e.metrics;
  const measured = (x: number | null | undefined) => (finished ? (m ? formatNumber(x ?? null) : NA) : '');
  const flag = m?.energyTrackingFailed ? '!' : '';
  const time =
    e.status === 'running' && e.startedAt !== null
      ? formatDuration(now - e.startedAt)
      : e.durationMs !== null
        ? formatDuration(e.durationMs)
        : '';
  const host = finished ? formatNumber(e.gpu?.gpuEnergyJ ?? null) + (energyDisagrees(m, e.gpu) ? DISAGREES : '') : '';
  return {
    cycle: String(e.cycleIndex + 1),
    config: e.configName,
    backend: e.backend,
    status: statusOf(e, now, queued).text,
    // Where it ran (its latest attempt); a pending one has none yet.
    gpu: e.status === 'pending' ? '' : (e.gpus ?? []).join(','),
    time,
    energy: finished ? measured(m?.energyJ) + flag : '',
    host,
    tps: measured(m?.tokensPerSecond),
    jpt: measured(m?.joulesPerToken),
  };
}

/** The mark of an energy the harness and the host disagree on (energyDisagrees). */
export const DISAGREES = '≠';

/** The GPU column's width: the widest GPU list of the campaign (at least the title's), capped; 0 without --gpus. */
export function gpuColumnWidth(state: CampaignState): number {
  const gpus = state.meta?.gpus;
  if (!gpus || gpus.length === 0) return 0;
  const widest = Math.max(...gpus.map((g) => g.length), ...state.experiments.map((e) => (e.gpus ?? []).join(',').length));
  return Math.min(9, Math.max(3, widest));
}

export function ExperimentsTable({ state, width, rows, color, marked = state.currentExpId }: ExperimentsTableProps) {
  const exps = state.experiments;
  const { columns, noteWidth } = experimentColumns(width, exps.some((e) => e.gpu), gpuColumnWidth(state));
  const focusIdx = (() => {
    const cur = exps.findIndex((e) => e.expId === marked);
    if (cur >= 0) return cur;
    const next = exps.findIndex((e) => e.status === 'pending');
    return next >= 0 ? next : exps.length - 1;
  })();
  const start = windowStart(exps.length, focusIdx, rows);
  const shown = exps.slice(start, start + rows);
  const flagged = exps.some((e) => e.metrics?.energyTrackingFailed);
  const disagree = exps.some((e) => energyDisagrees(e.metrics, e.gpu));

  const title = [
    `Experiments${exps.length > shown.length && shown.length > 0 ? ` ${start + 1}-${start + shown.length} of ${exps.length}` : ` (${exps.length})`}`,
    flagged ? '! = energy tracking failed' : '',
    disagree ? `${DISAGREES} = host differs >${Math.round(ENERGY_DISAGREEMENT * 100)}%` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const header =
    '  ' +
    columns.map((c) => cell(c.title, c.width, c.align)).join(' ') +
    (noteWidth > 0 ? ' ' + cell('NOTE', noteWidth) : '');

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate" color={tone(color, 'accent')} bold>
        {title}
      </Text>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {shown.map((e) => {
        const cur = e.expId === marked;
        const queued = e.status === 'running' && state.meta?.scheduler != null && selectJobOf(state, e.expId)?.state === 'PENDING';
        const cells = experimentCells(e, state.now, queued);
        const st = statusOf(e, state.now, queued);
        const warnHost = energyDisagrees(e.metrics, e.gpu);
        // Why it failed first; else why its host energy is n/a (a silent sampler, no power reported).
        const hostMissing = e.gpu?.gpuEnergyMissing ? `host n/a: ${e.gpu.gpuEnergyMissing}` : '';
        const note = e.reason ?? (e.exitCode !== null && e.exitCode !== 0 ? `exit ${e.exitCode}` : hostMissing);
        return (
          <Text key={e.expId} wrap="truncate" bold={cur}>
            {cur ? '› ' : '  '}
            {columns.map((c, i) => {
              const text = cell(cells[c.key], c.width, c.align);
              const sep = i > 0 ? ' ' : '';
              if (c.key === 'status') return <Text key={c.key} color={st.tone ? tone(color, st.tone) : undefined}>{sep + text}</Text>;
              if ((c.key === 'energy' && e.metrics?.energyTrackingFailed) || (c.key === 'host' && warnHost))
                return <Text key={c.key} color={tone(color, 'warn')}>{sep + text}</Text>;
              return sep + text;
            })}
            {noteWidth > 0 ? <Text color={tone(color, 'muted')}>{' ' + cell(note, noteWidth)}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}

// --dispatch slurm: the campaign's Slurm jobs where the services panel stands.
// Active jobs first, then the ended ones kept (latest first); one is selected
// for r (resubmit), as a service is for restart.
import React from 'react';
import { Box, Text } from 'ink';
import type { SlurmJob, SlurmScheduler } from '../../domain/slurmJob.js';
import { formatDuration } from '../../state/format.js';
import { isFailedJob, jobStateText, selectJobRows, selectJobSummary } from '../../state/jobs.js';
import type { CampaignState } from '../../state/types.js';
import { cell, windowStart } from '../text.js';
import { tone, type Tone } from '../theme.js';

export interface JobsPanelProps {
  state: CampaignState;
  scheduler: SlurmScheduler;
  /** The selected job's id (null: the first row). */
  selected: string | null;
  width: number;
  /** Rows for jobs (a title and a column header come on top). */
  rows: number;
  color: boolean;
}

const STATE_W = 22;
const NODE_W = 10;
const GPU_W = 5;
const ELAPSED_W = 7;

/** Running green, queued yellow, failed red, cancelled and completed dim; states Slurm adds (PREEMPTED...) yellow. */
export function jobTone(state: string): Tone {
  if (state === 'RUNNING' || state === 'CONFIGURING' || state === 'COMPLETING') return 'ok';
  if (isFailedJob(state)) return 'bad';
  if (state === 'CANCELLED' || state === 'COMPLETED') return 'muted';
  return 'warn';
}

/** "Jobs (slurm, partition debug, up to 4 at once)"; "Jobs 1-3 of 36 (…)" when not all fit, as the experiments table. */
export function jobsTitle(s: SlurmScheduler, window = ''): string {
  return `Jobs${window} (slurm, ${s.partition ? `partition ${s.partition}` : 'default partition'}, up to ${s.maxJobs} at once)`;
}

/** "0003 pytorch_bs4": the experiment's id and config name, as the experiments table names its rows. */
function experimentName(state: CampaignState, job: SlurmJob): string {
  const e = state.experiments.find((x) => x.expId === job.expId);
  return e ? `${e.expId} ${e.configName}` : job.expId;
}

export function JobsPanel({ state, scheduler, selected, width, rows, color }: JobsPanelProps) {
  const jobs = selectJobRows(state);
  const idW = Math.min(12, Math.max(6, ...jobs.map((j) => j.jobId.length)));
  const expW = Math.max(10, width - 2 - idW - STATE_W - NODE_W - GPU_W - ELAPSED_W - 5);
  const at = Math.max(0, jobs.findIndex((j) => j.jobId === selected));
  const start = windowStart(jobs.length, at, rows);
  const shown = jobs.slice(start, start + rows);
  const window = shown.length < jobs.length ? ` ${start + 1}-${start + shown.length} of ${jobs.length}` : '';
  const title = `${jobsTitle(scheduler, window)} · ${selectJobSummary(state)}`;
  const header =
    '  ' +
    [cell('JOB', idW), cell('EXPERIMENT', expW), cell('STATE', STATE_W), cell('NODE', NODE_W), cell('GPU', GPU_W), cell('ELAPSED', ELAPSED_W, 'right')].join(' ');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate" color={tone(color, 'accent')}>
        {title}
      </Text>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {shown.length === 0 ? (
        <Text wrap="truncate" color={tone(color, 'muted')}>
          {'  no job submitted yet'}
        </Text>
      ) : null}
      {shown.map((job) => {
        const isSel = job.jobId === (selected ?? jobs[0]?.jobId);
        const elapsed = job.elapsedS === null ? '-' : formatDuration(job.elapsedS * 1000);
        return (
          <Text key={job.jobId} wrap="truncate">
            <Text bold={isSel} inverse={isSel && !color}>
              {isSel ? '› ' : '  '}
              {cell(job.jobId, idW)}
            </Text>{' '}
            {cell(experimentName(state, job), expW)}{' '}
            <Text color={tone(color, jobTone(job.state))}>{cell(jobStateText(job), STATE_W)}</Text>{' '}
            {cell(job.node ?? '-', NODE_W)} {cell(job.gpus ?? '-', GPU_W)} {cell(elapsed, ELAPSED_W, 'right')}
          </Text>
        );
      })}
    </Box>
  );
}

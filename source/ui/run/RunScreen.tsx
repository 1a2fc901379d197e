// The run screen: the header, the top panel (services, or with Slurm the jobs
// panel of jobs/), GPUs, the experiments table, the log pane, the status line
// and the key bar, each given its rows by layout.ts.
import { experimentLabel } from '../../domain/experiment.js';
import React from 'react';
import { Box } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { JobsPanel } from '../jobs/JobsPanel.js';
import { selectedJob } from '../jobs/jobKeys.js';
import { KeyBar } from '../KeyBar.js';
import { selectedRunning, selectedService, shownLog, type UiState } from '../uiState.js';
import { ExperimentsTable } from './ExperimentsTable.js';
import { GpuPanel } from './GpuPanel.js';
import { gpuPanelLines, gpuTies } from './gpuLines.js';
import { Header } from './Header.js';
import { runLayout, topPanel } from './layout.js';
import { LogPane } from './LogPane.js';
import { ServicesPanel } from './ServicesPanel.js';
import { StatusLine } from './StatusLine.js';

export interface RunScreenProps {
  state: CampaignState;
  ui: UiState;
  width: number;
  /** Lines this screen may use. */
  height: number;
  color: boolean;
  /** Hide the key bar (a dialog shows its own keys). */
  keyBar?: boolean;
}

/** "0005 pytorch_bs4 (cycle 2)"; with several running also its GPU and "2/3 running, [ ] switch". */
function logLabel(state: CampaignState, id: string | null): string | null {
  if (id === null) return null;
  const e = state.experiments.find((x) => x.expId === id);
  if (!e) return id;
  const n = state.running.length;
  const at = state.running.indexOf(id);
  if (n < 2 || at < 0) return experimentLabel(e);
  const gpu = e.gpus?.length ? ` on GPU${e.gpus.length > 1 ? 's' : ''} ${e.gpus.join(',')}` : '';
  return `${experimentLabel(e)}${gpu} · ${at + 1}/${n} running, [ ] switch`;
}

export function RunScreen({ state, ui, width, height, color, keyBar = true }: RunScreenProps) {
  const log = shownLog(ui, state);
  const shown = selectedRunning(ui, state);
  const panel = topPanel(state);
  const layout = runLayout(height, panel, state.experiments.length, ui.showLog, gpuPanelLines(state.gpuTelemetry));
  const scheduler = state.meta?.scheduler ?? null;
  return (
    <Box flexDirection="column" width={width}>
      <Header state={state} width={width} color={color} quitting={ui.quitPresses > 0} />
      {scheduler ? (
        <JobsPanel
          state={state}
          scheduler={scheduler}
          selected={selectedJob(ui.selectedJob, state)?.jobId ?? null}
          width={width}
          rows={layout.serviceRows}
          color={color}
        />
      ) : layout.serviceRows > 0 ? (
        <ServicesPanel
          state={state}
          selected={selectedService(ui, state)}
          width={width}
          rows={layout.serviceRows}
          hiddenLine={layout.hiddenServicesLine}
          color={color}
        />
      ) : null}
      <GpuPanel telemetry={state.gpuTelemetry} width={width} rows={layout.gpuRows} color={color} ties={gpuTies(state)} now={state.now} />
      <ExperimentsTable
        state={state}
        width={width}
        rows={layout.experimentRows}
        color={color}
        marked={shown?.expId ?? state.currentExpId}
      />
      {layout.showLog ? (
        <LogPane
          log={log}
          label={logLabel(state, log.expId)}
          logEnd={ui.logEnd}
          width={width}
          rows={layout.logRows}
          color={color}
        />
      ) : null}
      <StatusLine state={state} width={width} color={color} quitPresses={ui.quitPresses} shown={shown} hint={ui.hint} />
      {keyBar ? <KeyBar scope="run" width={width} color={color} slurm={scheduler !== null} /> : null}
    </Box>
  );
}

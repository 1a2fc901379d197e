import { experimentLabel } from '../../domain/experiment.js';
import React from 'react';
import { Box } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { KeyBar } from '../KeyBar.js';
import { selectedService, type UiState } from '../uiState.js';
import { ExperimentsTable } from './ExperimentsTable.js';
import { GpuPanel } from './GpuPanel.js';
import { gpuPanelLines } from './gpuLines.js';
import { Header } from './Header.js';
import { runLayout } from './layout.js';
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

function logLabel(state: CampaignState): string | null {
  const id = state.log.expId;
  if (id === null) return null;
  const e = state.experiments.find((x) => x.expId === id);
  return e ? experimentLabel(e) : id;
}

export function RunScreen({ state, ui, width, height, color, keyBar = true }: RunScreenProps) {
  const layout = runLayout(height, state.serviceOrder.length, state.experiments.length, ui.showLog, gpuPanelLines(state.gpuTelemetry));
  return (
    <Box flexDirection="column" width={width}>
      <Header state={state} width={width} color={color} quitting={ui.quitPresses > 0} />
      {layout.serviceRows > 0 ? (
        <ServicesPanel
          state={state}
          selected={selectedService(ui, state)}
          width={width}
          rows={layout.serviceRows}
          color={color}
        />
      ) : null}
      <GpuPanel telemetry={state.gpuTelemetry} width={width} rows={layout.gpuRows} color={color} />
      <ExperimentsTable state={state} width={width} rows={layout.experimentRows} color={color} />
      {layout.showLog ? (
        <LogPane
          log={state.log}
          label={logLabel(state)}
          logEnd={ui.logEnd}
          width={width}
          rows={layout.logRows}
          color={color}
        />
      ) : null}
      <StatusLine state={state} width={width} color={color} quitPresses={ui.quitPresses} />
      {keyBar ? <KeyBar scope="run" width={width} color={color} /> : null}
    </Box>
  );
}

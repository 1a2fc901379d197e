// How many lines each part of the run screen gets, from the terminal height.
// The whole screen stays within `height` lines so Ink never redraws the full terminal.
import { selectJobRows } from '../../state/jobs.js';
import type { CampaignState } from '../../state/types.js';

export interface RunLayout {
  serviceRows: number;
  /** Lines of the GPU panel (below the services); 0 when telemetry is off. */
  gpuRows: number;
  experimentRows: number;
  logRows: number;
  showLog: boolean;
}

export const HEADER_LINES = 2;
export const STATUS_LINES = 2;
export const KEYBAR_LINES = 1;
const EXP_CHROME = 2; // title + column header

/**
 * `gpuLines`: the lines the GPU panel would like (gpuPanelLines); it gets at
 * most a quarter of the height (8 GPUs at 40 lines). `panelChrome`: the lines
 * above the services' rows (the jobs panel has a title and a column header).
 */
export function runLayout(height: number, services: number, experiments: number, wantLog: boolean, gpuLines = 0, panelChrome = 1): RunLayout {
  const fixed = HEADER_LINES + STATUS_LINES + KEYBAR_LINES + EXP_CHROME;
  const svcChrome = services > 0 ? panelChrome : 0;
  let serviceRows = services > 0 ? Math.min(services, Math.max(1, Math.floor(height / 6))) : 0;
  let gpuRows = gpuLines > 0 ? Math.min(gpuLines, Math.max(1, Math.floor(height / 4))) : 0;
  let rest = height - fixed - svcChrome - serviceRows - gpuRows;
  if (rest < 1 && serviceRows > 1) {
    rest += serviceRows - 1;
    serviceRows = 1;
  }
  if (rest < 1 && gpuRows > 1) {
    rest += gpuRows - 1;
    gpuRows = 1;
  }
  rest = Math.max(0, rest);
  const showLog = wantLog && rest >= 4;
  if (!showLog) return { serviceRows, gpuRows, experimentRows: rest, logRows: 0, showLog };
  rest -= 1; // log title
  const experimentRows = Math.min(Math.max(1, experiments), Math.max(2, Math.ceil(rest * 0.55)));
  return { serviceRows, gpuRows, experimentRows, logRows: rest - experimentRows, showLog };
}

/** The panel on top: the services (rows, one header line), or with a Slurm scheduler the jobs (at least one row, two header lines). */
export function topPanel(state: CampaignState): { rows: number; chrome: number } {
  if (state.meta?.scheduler) return { rows: Math.max(1, selectJobRows(state).length), chrome: 2 };
  return { rows: state.serviceOrder.length, chrome: 1 };
}

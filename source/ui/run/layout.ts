// How many lines each part of the run screen gets, from the terminal height.
// The whole screen stays within `height` lines so Ink never redraws the full terminal.
import { selectJobRows } from '../../state/jobs.js';
import type { CampaignState } from '../../state/types.js';
import { busyServiceCount } from './serviceRows.js';

export interface RunLayout {
  serviceRows: number;
  /** Services are hidden (serviceRows < services): one more line under them says how many. */
  hiddenServicesLine: boolean;
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

/** What the panel on top needs: its rows, the lines above them, the rows it may not go below, and whether hidden rows get a line. */
export interface TopPanel {
  rows: number;
  chrome: number;
  /** Rows kept while others shrink: every service that runs an experiment, and the selected one. */
  leastRows: number;
  /** Services: hidden rows are counted on a line of their own (the jobs panel says so in its title). */
  marksHidden: boolean;
}

/**
 * `gpuLines`: the lines the GPU panel would like (gpuPanelLines); it gets at
 * most a quarter of the height (8 GPUs at 40 lines). `panel`: what the panel
 * on top needs (topPanel); a bare count is a services panel of that many rows.
 * The services get a sixth of the height, never fewer than `leastRows`; when
 * the screen is too small, they shrink to `leastRows` first, then the GPU
 * panel to one line, then the services to one row.
 */
export function runLayout(height: number, services: number | TopPanel, experiments: number, wantLog: boolean, gpuLines = 0): RunLayout {
  const panel = typeof services === 'number' ? { rows: services, chrome: 1, leastRows: 1, marksHidden: true } : services;
  const fixed = HEADER_LINES + STATUS_LINES + KEYBAR_LINES + EXP_CHROME;
  const svcChrome = panel.rows > 0 ? panel.chrome : 0;
  const least = Math.min(panel.rows, Math.max(1, panel.leastRows));
  let serviceRows = panel.rows > 0 ? Math.min(panel.rows, Math.max(least, Math.floor(height / 6))) : 0;
  let gpuRows = gpuLines > 0 ? Math.min(gpuLines, Math.max(1, Math.floor(height / 4))) : 0;
  const hiddenLine = () => panel.marksHidden && serviceRows < panel.rows;
  const free = () => height - fixed - svcChrome - serviceRows - (hiddenLine() ? 1 : 0) - gpuRows;
  let rest = free();
  if (rest < 1 && serviceRows > least) {
    serviceRows = least;
    rest = free();
  }
  if (rest < 1 && gpuRows > 1) {
    gpuRows = 1;
    rest = free();
  }
  if (rest < 1 && serviceRows > 1) {
    serviceRows = 1;
    rest = free();
  }
  rest = Math.max(0, rest);
  const showLog = wantLog && rest >= 4;
  const top = { serviceRows, hiddenServicesLine: hiddenLine(), gpuRows };
  if (!showLog) return { ...top, experimentRows: rest, logRows: 0, showLog };
  rest -= 1; // log title
  const experimentRows = Math.min(Math.max(1, experiments), Math.max(2, Math.ceil(rest * 0.55)));
  return { ...top, experimentRows, logRows: rest - experimentRows, showLog };
}

/** The panel on top: the services (one header line), or with a Slurm scheduler the jobs (at least one row, two header lines). */
export function topPanel(state: CampaignState): TopPanel {
  if (state.meta?.scheduler) return { rows: Math.max(1, selectJobRows(state).length), chrome: 2, leastRows: 1, marksHidden: false };
  const rows = state.serviceOrder.length;
  return { rows, chrome: 1, leastRows: Math.min(rows, busyServiceCount(state) + 1), marksHidden: true };
}

// What the GPU panel shows, as plain text from the telemetry state: one line
// per GPU (so two GPUs cost two lines at 80×24), or one status line. Pure.
import { formatNumber, NA } from '../../state/format.js';
import type { CampaignState, ExperimentView, GpuTelemetryState, GpuView } from '../../state/types.js';
import { cell } from '../text.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Power history as `width` cells of ▁…█ scaled 0..`max`, newest on the right.
 * Longer histories are averaged into `width` buckets, so the line always spans
 * the whole history; a point (or bucket) with no reading is a space.
 */
export function sparkline(history: readonly (number | null)[], width: number, max: number): string {
  if (width <= 0) return '';
  const buckets: (number | null)[] = [];
  if (history.length <= width) buckets.push(...history);
  else {
    for (let b = 0; b < width; b++) {
      const part = history.slice(Math.floor((b * history.length) / width), Math.floor(((b + 1) * history.length) / width));
      const known = part.filter((v): v is number => v !== null && Number.isFinite(v));
      buckets.push(known.length ? known.reduce((a, v) => a + v, 0) / known.length : null);
    }
  }
  const chars = buckets.map((v) => {
    if (v === null || !Number.isFinite(v)) return ' ';
    const level = max > 0 ? Math.round((Math.min(Math.max(v, 0), max) / max) * (BLOCKS.length - 1)) : 0;
    return BLOCKS[level]!;
  });
  return chars.join('').padStart(width, ' ');
}

/** "H200" from "NVIDIA H200", "RTX 4090" from "NVIDIA GeForce RTX 4090": the vendor words say nothing on a GPU host. */
export function shortGpuName(name: string | null): string {
  if (name === null) return NA;
  const short = name.replace(/^(NVIDIA\s+)?((GeForce|Tesla|Quadro)\s+)?/i, '').trim();
  return short || name;
}

/** One scale for every sparkline of the panel (the highest power seen), so the GPUs compare at a glance. */
export function powerScale(gpus: readonly GpuView[]): number {
  let max = 0;
  for (const g of gpus) for (const p of g.powerHistory) if (p !== null && Number.isFinite(p) && p > max) max = p;
  return max;
}

const GIB = 1024;

/** "79.6/140 GiB"; n/a when the driver reported neither. */
export function memoryText(usedMiB: number | null, totalMiB: number | null): string {
  if (usedMiB === null && totalMiB === null) return NA;
  const gib = (v: number | null) => (v === null ? NA : formatNumber(v / GIB));
  return `${gib(usedMiB)}/${gib(totalMiB)} GiB`;
}

const unit = (v: number | null, suffix: string) => (v === null || !Number.isFinite(v) ? NA : `${Math.round(v)}${suffix}`);

/** Throttle mark: full words when there is room, the sign alone when narrow. */
export const throttleMark = (wide: boolean) => (wide ? '⚠ throttled' : '⚠');

/**
 * Stale mark (readings older than the sampler's stale limit: nvidia-smi went
 * silent), in the throttle mark's room: "⚠ stale 12s", "⚠ stale 3m"; "⚠" when narrow.
 */
export function staleMark(ageMs: number, wide: boolean): string {
  if (!wide) return '⚠';
  const s = Math.round(ageMs / 1000);
  return `⚠ stale ${s < 100 ? `${s}s` : `${Math.round(s / 60)}m`}`;
}

export interface GpuLine {
  /** The line without the throttle mark (drawn apart, after a space, in the warn colour). */
  text: string;
  throttled: boolean;
}

/**
 * Widths of one GPU line's fixed cells; the sparkline gets what is left (up
 * to 60). `tagged` (some GPU runs an experiment, --gpus): a cell for it takes
 * half of the sparkline's room, 6 to 24 cells.
 */
function widths(width: number, tagged: boolean) {
  const wide = width >= 80;
  const w = { id: 5, name: wide ? 8 : 6, power: 6, memory: 13, util: 9, temp: 6, mark: throttleMark(wide).length };
  const fixed = w.id + w.name + w.power + w.memory + w.util + w.temp + w.mark + 7; // 7 separating spaces
  const room = Math.max(0, width - fixed);
  const tag = tagged ? Math.min(24, Math.max(6, Math.floor(room / 2))) : 0;
  return { ...w, tag, spark: Math.max(0, Math.min(60, room - (tag > 0 ? tag + 1 : 0))) };
}

/**
 * Which experiment runs on each GPU (by GpuView index), from the running
 * experiments' GPU labels: a label is the GPU's index as a string, or its UUID.
 * null without --gpus, so the panel stays as it was.
 */
export function gpuTies(state: CampaignState): Map<number, ExperimentView> | null {
  if (!state.meta?.gpus) return null;
  const ties = new Map<number, ExperimentView>();
  for (const id of state.running) {
    const e = state.experiments.find((x) => x.expId === id);
    if (!e?.gpus) continue;
    for (const g of state.gpuTelemetry.gpus) {
      if (e.gpus.some((label) => label === String(g.index) || (g.uuid !== null && label === g.uuid))) ties.set(g.index, e);
    }
  }
  return ties;
}

/** The tag of a GPU's experiment: "▶ vllm_bs8" when there is room, "▶ 0006" when narrow; "" for an idle GPU. */
export function tieText(e: ExperimentView | undefined, width: number): string {
  if (!e) return '';
  return width >= 12 ? `▶ ${e.configName}` : `▶ ${e.expId}`;
}

/** One GPU: "GPU0  H200      312 W ▂▄▆█  79.6/140 GiB  util 87%  64 °C", and "▶ config" with --gpus. */
export function gpuLine(g: GpuView, width: number, scale: number, tie?: { tagged: boolean; on?: ExperimentView }): GpuLine {
  const w = widths(width, tie?.tagged ?? false);
  const cells = [
    cell(`GPU${g.index}`, w.id),
    cell(shortGpuName(g.name), w.name),
    cell(unit(g.powerW, ' W'), w.power, 'right'),
    ...(w.spark > 0 ? [sparkline(g.powerHistory, w.spark, scale)] : []),
    cell(memoryText(g.memoryUsedMiB, g.memoryTotalMiB), w.memory, 'right'),
    cell(`util ${unit(g.utilizationPct, '%')}`, w.util, 'right'),
    cell(unit(g.temperatureC, ' °C'), w.temp, 'right'),
    ...(w.tag > 0 ? [cell(tieText(tie?.on, w.tag), w.tag)] : []),
  ];
  return { text: cells.join(' '), throttled: g.throttled === true };
}

/**
 * The one-line status while there is no reading to show; null when the panel
 * shows GPUs (or nothing). Starting and unavailable show nothing: on a
 * machine without nvidia-smi the screen stays exactly as without telemetry
 * (the notice says why once), and with one the panel appears with the first
 * sample, half a second in, instead of a line that flashes.
 */
export function gpuStatusLine(t: GpuTelemetryState): { text: string; warn: boolean } | null {
  if (t.status === 'running' && t.gpus.length === 0) return { text: 'GPU: nvidia-smi reports no GPUs', warn: true };
  return null;
}

/** Lines the panel would like: none when off, starting or unavailable, one for a status, one per GPU. */
export function gpuPanelLines(t: GpuTelemetryState): number {
  if (t.status === 'off' || t.status === 'starting' || t.status === 'unavailable') return 0;
  return gpuStatusLine(t) ? 1 : t.gpus.length;
}

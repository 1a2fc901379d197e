// Parsers for what the engine and compose print about containers. Pure.
//
// The watcher reads the engine (`docker ps`/`events`/`inspect`), never
// compose's `ps`, whose JSON changed shape in v2 2.21 and which v1 prints only
// as a table.
import type { ServiceStatus } from './types.js';
import { ONEOFF_LABEL, PROJECT_LABEL, SERVICE_LABEL } from './argv.js';

/** One container as `docker ps -a --format '{{json .}}'` lists it. */
export interface PsContainer {
  id: string;
  name: string;
  project: string | null;
  service: string | null;
  oneoff: boolean;
  /** running | exited | created | restarting | paused | removing | dead */
  state: string;
  /** From Status "Exited (137) 2 seconds ago"; null while running. */
  exitCode: number | null;
  labels: Record<string, string>;
}

/** One `docker events --format '{{json .}}'` line about a container. */
export interface EngineEvent {
  /** Normalised: "exec_create: sh -c ..." becomes "exec_create". */
  action: string;
  id: string;
  name: string | null;
  project: string | null;
  service: string | null;
  oneoff: boolean;
  exitCode: number | null;
  /** For "kill": the signal number as a string ("9", "15"). */
  signal: string | null;
  timeMs: number;
}

/** What `docker inspect` tells us about one container. */
export interface InspectedContainer {
  id: string;
  name: string;
  project: string | null;
  service: string | null;
  oneoff: boolean;
  status: string;
  running: boolean;
  restartCount: number;
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  oomKilled: boolean;
  error: string | null;
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return null;
};
const isTrue = (v: string | undefined) => v !== undefined && v.toLowerCase() === 'true';

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/**
 * `docker ps` prints labels as "k=v,k=v". Values may hold commas
 * (config_files lists several files): a piece without "=" belongs to the
 * value before it.
 */
export function parseLabelString(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const piece of s.split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) {
      last = piece.slice(0, eq);
      out[last] = piece.slice(eq + 1);
    } else if (last !== null) {
      out[last] += `,${piece}`;
    }
  }
  return out;
}

function labelsOf(v: unknown): Record<string, string> {
  if (typeof v === 'string') return parseLabelString(v);
  const r = record(v);
  if (!r) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(r)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** "Exited (137) 2 seconds ago" → 137; "exited (0)" → 0; otherwise null. */
export function exitCodeFromStatus(status: string): number | null {
  const m = /exit(?:ed)?\s*\((-?\d+)\)/i.exec(status) ?? /^exit\s+(-?\d+)/i.exec(status.trim());
  return m ? Number(m[1]) : null;
}

export function parsePsLine(line: string): PsContainer | null {
  const r = record(parseJson(line.trim()));
  if (!r) return null;
  const id = str(r.ID);
  if (!id) return null;
  const labels = labelsOf(r.Labels);
  const status = str(r.Status) ?? '';
  const state = (str(r.State) ?? (status.startsWith('Up') ? 'running' : status ? 'exited' : 'unknown')).toLowerCase();
  return {
    id,
    name: (str(r.Names) ?? '').split(',')[0] ?? '',
    project: labels[PROJECT_LABEL] ?? null,
    service: labels[SERVICE_LABEL] ?? null,
    oneoff: isTrue(labels[ONEOFF_LABEL]),
    state,
    exitCode: state === 'running' ? null : exitCodeFromStatus(status),
    labels,
  };
}

export function parsePsOutput(text: string): PsContainer[] {
  return text
    .split('\n')
    .map(parsePsLine)
    .filter((c): c is PsContainer => c !== null);
}

export function parseEventLine(line: string): EngineEvent | null {
  const r = record(parseJson(line.trim()));
  if (!r) return null;
  const type = str(r.Type) ?? str(r.type);
  if (type && type !== 'container') return null;
  const actor = record(r.Actor);
  const attrs = labelsOf(actor?.Attributes);
  const rawAction = str(r.Action) ?? str(r.status);
  const id = str(actor?.ID) ?? str(r.id);
  if (!rawAction || !id) return null;
  const timeNano = num(r.timeNano);
  const time = num(r.time);
  return {
    action: rawAction.split(':')[0]!.trim(),
    id,
    name: attrs.name ?? null,
    project: attrs[PROJECT_LABEL] ?? null,
    service: attrs[SERVICE_LABEL] ?? null,
    oneoff: isTrue(attrs[ONEOFF_LABEL]),
    exitCode: num(attrs.exitCode),
    signal: attrs.signal ?? null,
    timeMs: timeNano !== null ? Math.round(timeNano / 1e6) : time !== null ? time * 1000 : Date.now(),
  };
}

/** Go's zero time means "never". */
function timeOf(v: unknown): number | null {
  const s = str(v);
  if (!s || s.startsWith('0001-01-01')) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

export function parseInspect(json: string): InspectedContainer[] {
  const parsed = parseJson(json);
  const items = Array.isArray(parsed) ? parsed : [];
  const out: InspectedContainer[] = [];
  for (const item of items) {
    const r = record(item);
    const id = str(r?.Id);
    if (!r || !id) continue;
    const state = record(r.State) ?? {};
    const labels = labelsOf(record(r.Config)?.Labels);
    const error = str(state.Error);
    out.push({
      id,
      name: (str(r.Name) ?? '').replace(/^\//, ''),
      project: labels[PROJECT_LABEL] ?? null,
      service: labels[SERVICE_LABEL] ?? null,
      oneoff: isTrue(labels[ONEOFF_LABEL]),
      status: (str(state.Status) ?? 'unknown').toLowerCase(),
      running: state.Running === true,
      restartCount: num(r.RestartCount) ?? 0,
      startedAt: timeOf(state.StartedAt),
      finishedAt: timeOf(state.FinishedAt),
      exitCode: num(state.ExitCode),
      oomKilled: state.OOMKilled === true,
      error: error ? error : null,
    });
  }
  return out;
}

/** The engine's container state as the status lem-tui shows. */
export function serviceStatusOf(engineState: string): ServiceStatus {
  switch (engineState.toLowerCase()) {
    case 'running':
    case 'paused':
      return 'running';
    case 'restarting':
    case 'created':
      return 'starting';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'error';
  }
}

// What lem-tui asks nvidia-smi on the host, and how it reads the answer
// (Pure: the process is gpuSampler.ts). The query format is
// `--format=csv,noheader,nounits`: one line per GPU, values separated by
// ", ", in the order asked (see fixtures/gpu/real/ for captured lines).
import type { GpuReading } from '../../domain/gpu.js';

export const SMI_FIELDS = [
  'index',
  'uuid',
  'name',
  'power.draw',
  'memory.used',
  'memory.total',
  'utilization.gpu',
  'temperature.gpu',
  'clocks_throttle_reasons.hw_thermal_slowdown',
  'clocks_throttle_reasons.sw_thermal_slowdown',
] as const;

/** Without these there is nothing to show: a driver that does not know them counts as no nvidia-smi. */
export const REQUIRED_FIELDS: readonly string[] = ['index', 'power.draw'];

/**
 * Newer drivers (R535 on) call the throttle reasons "clocks_event_reasons"
 * and keep the old name only as a deprecated alias: a driver that rejects
 * one name is asked the other before the field is given up.
 */
export const FIELD_FALLBACK: Readonly<Record<string, string>> = {
  'clocks_throttle_reasons.hw_thermal_slowdown': 'clocks_event_reasons.hw_thermal_slowdown',
  'clocks_throttle_reasons.sw_thermal_slowdown': 'clocks_event_reasons.sw_thermal_slowdown',
};

/** One query, printed once (the probe). */
export function probeArgv(fields: readonly string[]): string[] {
  return [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'];
}

/** The same query, printed every intervalMs until nvidia-smi is stopped. */
export function queryArgv(fields: readonly string[], intervalMs: number): string[] {
  return [...probeArgv(fields), '-lms', String(intervalMs)];
}

/** The field named in nvidia-smi's `Field "x" is not a valid field to query.` (exit 2, on stdout), or null. */
export function invalidField(stdout: string): string | null {
  // Some posts show it with typographic quotes (Windows consoles): accept both.
  const m = /Field ["“]([^"”]+)["”] is not a valid field to query/.exec(stdout);
  return m ? m[1]! : null;
}

type NumberKey = 'powerW' | 'memoryUsedMiB' | 'memoryTotalMiB' | 'utilizationPct' | 'temperatureC';

/** Query field (and its aliases) → where it goes in a reading. */
const NUMBER_FIELDS: Record<string, NumberKey> = {
  'power.draw': 'powerW',
  'memory.used': 'memoryUsedMiB',
  'memory.total': 'memoryTotalMiB',
  'utilization.gpu': 'utilizationPct',
  'temperature.gpu': 'temperatureC',
};
const TEXT_FIELDS: Record<string, 'uuid' | 'name'> = { uuid: 'uuid', gpu_uuid: 'uuid', name: 'name', gpu_name: 'name' };
const THERMAL_FIELDS: Record<string, 'hw' | 'sw'> = {
  'clocks_throttle_reasons.hw_thermal_slowdown': 'hw',
  'clocks_event_reasons.hw_thermal_slowdown': 'hw',
  'clocks_throttle_reasons.sw_thermal_slowdown': 'sw',
  'clocks_event_reasons.sw_thermal_slowdown': 'sw',
};

/**
 * A value the driver does not have: "[N/A]", "[Not Supported]", "[Unknown
 * Error]", "[GPU is lost]" (any bracketed text), bare "N/A" (older drivers)
 * or nothing. Null, never 0.
 */
function missing(value: string): boolean {
  return value === '' || value === 'N/A' || /^\[.*\]$/.test(value);
}

/** Units nvidia-smi puts after a value when the query lacks `nounits`. */
const UNIT = /^(?:W|MiB|%|MHz|C)$/;

/** A number, with or without its unit ("75.23" or "75.23 W"); null when missing; undefined when it is not a number at all. */
function numberOf(value: string): number | null | undefined {
  if (missing(value)) return null;
  const m = /^(-?\d+(?:\.\d+)?)(?: (\S+))?$/.exec(value);
  if (!m || (m[2] !== undefined && !UNIT.test(m[2]))) return undefined;
  return Number(m[1]);
}

/** "Active" / "Not Active"; null when missing; undefined when it is neither. */
function flagOf(value: string): boolean | null | undefined {
  if (missing(value)) return null;
  return value === 'Active' ? true : value === 'Not Active' ? false : undefined;
}

/** Either thermal slowdown active → true; both known and inactive → false; else unknown. */
function throttledOf(hw: boolean | null, sw: boolean | null): boolean | null {
  if (hw === true || sw === true) return true;
  return hw === false && sw === false ? false : null;
}

/**
 * One line of the query's output (fields in the order asked) → a reading;
 * null if it is not one. The line must parse as a whole: every value is its
 * field's type or one of nvidia-smi's "no value" words, and the index is a
 * number. A line with words where a number belongs is garbage, not a reading
 * with a null in it (a null power would silently drop the stretch around it).
 */
export function parseQueryLine(line: string, fields: readonly string[]): GpuReading | null {
  const values = line.split(',').map((v) => v.trim());
  if (values.length !== fields.length) return null;
  const reading: GpuReading = {
    index: -1,
    uuid: null,
    name: null,
    powerW: null,
    memoryUsedMiB: null,
    memoryTotalMiB: null,
    utilizationPct: null,
    temperatureC: null,
    throttled: null,
  };
  const thermal: { hw: boolean | null; sw: boolean | null } = { hw: null, sw: null };
  let whole = true;
  fields.forEach((field, i) => {
    const value = values[i]!;
    const numberKey = NUMBER_FIELDS[field];
    const textKey = TEXT_FIELDS[field];
    const thermalKey = THERMAL_FIELDS[field];
    if (field === 'index') reading.index = /^\d+$/.test(value) ? Number(value) : -1;
    else if (numberKey) {
      const n = numberOf(value);
      if (n === undefined) whole = false;
      else reading[numberKey] = n;
    } else if (textKey) reading[textKey] = missing(value) ? null : value;
    else if (thermalKey) {
      const flag = flagOf(value);
      if (flag === undefined) whole = false;
      else thermal[thermalKey] = flag;
    }
  });
  // Without its index a reading cannot be told from another GPU's.
  if (!whole || reading.index < 0) return null;
  reading.throttled = throttledOf(thermal.hw, thermal.sw);
  return reading;
}

// Samples the host's GPUs with one long-running `nvidia-smi --query-gpu ...
// -lms <interval>`: one process that opens the driver once, instead of a
// process per sample. A probe first (the same query, once) learns which
// fields this driver knows and how many GPUs answer; then the loop's lines
// are grouped into one GpuSample per block (a line per GPU). A loop that
// ends by itself is restarted, a few times a minute at most.
import type { GpuReading, GpuSample } from '../domain/gpu.js';
import { FIELD_FALLBACK, invalidField, parseQueryLine, probeArgv, queryArgv, REQUIRED_FIELDS, SMI_FIELDS } from '../gpu/smiQuery.js';
import { capture, runStreaming } from './process.js';

export interface GpuSamplerOptions {
  intervalMs: number;
  onSample: (sample: GpuSample) => void;
  onStatus: (status: 'running' | 'unavailable', reason: string | null) => void;
  onNotice: (level: 'info' | 'warn', message: string) => void;
  /** Default 'nvidia-smi' (on PATH). */
  command?: string;
  /** Merged over process.env. */
  env?: Record<string, string>;
  /** Stamps the samples. Default Date.now. */
  now?: () => number;
  /** Wait before restarting a loop that ended. Default 1000. */
  restartDelayMs?: number;
}

export interface GpuSampler {
  /** Stops nvidia-smi (probe or loop); resolves once it has ended. */
  stop(): Promise<void>;
}

/** More restarts than this within RESTART_WINDOW_MS: nvidia-smi is not going to work, say so. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** The probe is one short query: longer than this is a hung driver. */
const PROBE_TIMEOUT_MS = 15_000;

export function startGpuSampler(options: GpuSamplerOptions): GpuSampler {
  const abort = new AbortController();
  const done = sample(options, abort.signal).catch((error: unknown) => {
    // A bug here must not take the run down: no GPU figures, said once.
    if (!abort.signal.aborted) options.onStatus('unavailable', `GPU sampler failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  return {
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

async function sample(options: GpuSamplerOptions, signal: AbortSignal): Promise<void> {
  const probed = await probe(options, signal);
  if (probed === null) return; // stopped meanwhile
  if ('reason' in probed) {
    options.onStatus('unavailable', probed.reason);
    return;
  }
  options.onStatus('running', null);
  await follow(options, probed, signal);
}

type Probe = { fields: string[]; gpuCount: number } | { reason: string };

/** Ask once, dropping the fields this driver does not know; null if stopped meanwhile. */
async function probe(options: GpuSamplerOptions, signal: AbortSignal): Promise<Probe | null> {
  const command = options.command ?? 'nvidia-smi';
  let fields: string[] = [...SMI_FIELDS];
  // Each round removes or renames one field, so this ends.
  for (;;) {
    const r = await capture([command, ...probeArgv(fields)], { env: options.env, signal, timeoutMs: PROBE_TIMEOUT_MS });
    if (signal.aborted) return null;
    if (r.spawnError) return { reason: /ENOENT/.test(r.spawnError) ? 'nvidia-smi not found' : `nvidia-smi failed: ${firstLine(r.spawnError)}` };
    if (r.timedOut) return { reason: `nvidia-smi failed: no answer in ${PROBE_TIMEOUT_MS / 1000} s` };
    // An unknown field: exit 2, and the message on stdout (not stderr).
    const bad = r.exitCode === 2 ? invalidField(r.stdout) : null;
    if (bad !== null && fields.includes(bad)) {
      if (REQUIRED_FIELDS.includes(bad)) return { reason: `nvidia-smi does not know ${bad}` };
      fields = withoutField(fields, bad, options);
      continue;
    }
    if (r.exitCode !== 0) return { reason: `nvidia-smi failed: ${firstLine(r.stdout) || firstLine(r.stderr) || `exit ${r.exitCode ?? '?'}`}` };
    const gpuCount = r.stdout.split('\n').filter((line) => parseQueryLine(line, fields) !== null).length;
    if (gpuCount === 0) return { reason: 'nvidia-smi reports no GPU' };
    return { fields, gpuCount };
  }
}

/** The field list without `bad`: its other name if it has one (asked next), else gone, with a notice. */
function withoutField(fields: string[], bad: string, options: GpuSamplerOptions): string[] {
  const other = FIELD_FALLBACK[bad];
  if (other !== undefined) return fields.map((f) => (f === bad ? other : f));
  const shown = Object.keys(FIELD_FALLBACK).find((f) => FIELD_FALLBACK[f] === bad) ?? bad;
  options.onNotice('info', `nvidia-smi does not know ${shown}: not shown`);
  return fields.filter((f) => f !== bad);
}

/** Run the loop until stopped; restart it when it ends by itself. */
async function follow(options: GpuSamplerOptions, probed: { fields: string[]; gpuCount: number }, signal: AbortSignal): Promise<void> {
  const { fields, gpuCount } = probed;
  const now = options.now ?? Date.now;
  let restarts: number[] = [];
  while (!signal.aborted) {
    const blocks = new Blocks(gpuCount, (gpus) => options.onSample({ at: now(), gpus }));
    let said: string | null = null; // its last line that was not a reading (an error, say)
    const result = await runStreaming([options.command ?? 'nvidia-smi', ...queryArgv(fields, options.intervalMs)], {
      env: options.env,
      signal,
      killGraceMs: 2000,
      onLine: (line, stream) => {
        const reading = stream === 'stdout' ? parseQueryLine(line, fields) : null;
        if (reading) blocks.add(reading);
        else if (line.trim() !== '') said = line.trim();
      },
    });
    if (signal.aborted) return;
    const how = result.spawnError ? firstLine(result.spawnError) : `exit ${result.exitCode ?? result.signal ?? '?'}`;
    const at = Date.now();
    restarts = restarts.filter((t) => at - t < RESTART_WINDOW_MS);
    if (restarts.length >= MAX_RESTARTS) {
      options.onStatus('unavailable', `nvidia-smi keeps stopping (${how}${said ? `: ${said}` : ''})`);
      return;
    }
    restarts.push(at);
    options.onNotice('warn', `GPU sampler stopped (${how}); restarting`);
    await delay(options.restartDelayMs ?? 1000, signal);
  }
}

/**
 * Lines → blocks of one reading per GPU. A block is complete when it has
 * every GPU the probe saw, or when the index does not increase (a GPU that
 * fell off the bus: the next block has begun; such a short block is sent
 * when the next one begins, so one interval late).
 */
class Blocks {
  private gpus: GpuReading[] = [];

  constructor(
    private readonly size: number,
    private readonly emit: (gpus: GpuReading[]) => void,
  ) {}

  add(reading: GpuReading): void {
    const last = this.gpus[this.gpus.length - 1];
    if (last && reading.index <= last.index) this.flush();
    this.gpus.push(reading);
    if (this.gpus.length >= this.size) this.flush();
  }

  private flush(): void {
    if (this.gpus.length === 0) return;
    this.emit(this.gpus);
    this.gpus = [];
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** Wait ms, or less if stopped. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

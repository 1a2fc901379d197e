// Samples the host's GPUs with one long-running `nvidia-smi --query-gpu ...
// -lms <interval>`: one process that opens the driver once, instead of a
// process per sample. A probe first (the same query, once) learns which
// fields this driver knows and how many GPUs answer; then the loop's lines
// are grouped into one GpuSample per block (a line per GPU, only the GPUs the
// probe listed: smiBlocks.ts). A loop that ends by itself, or gives no
// complete block for stallMs (alive but silent), is stopped and restarted;
// samplerHealth.ts says when to tell the user and when to give up.
import { gpuStaleAfterMs, type GpuSample } from '../../domain/gpu.js';
import { SamplerHealth } from './samplerHealth.js';
import { rejectedNews, SmiBlocks } from './smiBlocks.js';
import { FIELD_FALLBACK, invalidField, parseQueryLine, probeArgv, queryArgv, REQUIRED_FIELDS, SMI_FIELDS } from './smiQuery.js';
import { capture, runStreaming } from '../process/process.js';

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
  /** No complete block for this long: the loop is stopped and restarted. Default gpuStaleAfterMs(intervalMs). */
  stallMs?: number;
  /** Stops in one run before giving up, and how long a restarted loop must read to count as recovered (samplerHealth). */
  maxStops?: number;
  recoveredAfterMs?: number;
}

export interface GpuSampler {
  /** Stops nvidia-smi (probe or loop); resolves once it has ended. */
  stop(): Promise<void>;
}

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

/** The fields this driver knows and the GPU indices it listed. */
type Probed = { fields: string[]; indices: number[] };
type Probe = Probed | { reason: string };

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
    const indices = r.stdout.split('\n').flatMap((line) => parseQueryLine(line, fields)?.index ?? []);
    if (indices.length === 0) return { reason: 'nvidia-smi reports no GPU' };
    return { fields, indices: [...new Set(indices)].sort((a, b) => a - b) };
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

/** Run the loop until stopped; restart it when it ends by itself or stalls; give up when samplerHealth says so. */
async function follow(options: GpuSamplerOptions, probed: Probed, signal: AbortSignal): Promise<void> {
  const now = options.now ?? Date.now;
  const health = new SamplerHealth(options.maxStops, options.recoveredAfterMs);
  // Lines that were not readings, over the whole run: how many, the first, how many the last notice told.
  const rejected = { count: 0, first: null as string | null, told: 0 };
  const onReject = (line: string) => {
    rejected.count += 1;
    rejected.first ??= line;
  };
  while (!signal.aborted) {
    const blocks = new SmiBlocks(
      probed.fields,
      probed.indices,
      (gpus) => {
        const at = now();
        options.onSample({ at, gpus });
        const recovered = health.block(at);
        if (recovered) options.onNotice('info', recovered);
        // Told only once a reading follows: the last words of a loop that dies are its reason, not garbage.
        const news = rejectedNews(rejected.count, rejected.told, rejected.first, probed.indices);
        if (news) options.onNotice('warn', news);
        rejected.told = rejected.count;
      },
      onReject,
    );
    const run = await runLoop(options, probed.fields, blocks, signal);
    if (signal.aborted) return;
    const verdict = health.stopped(run.how);
    if (verdict.giveUp) {
      options.onStatus('unavailable', `nvidia-smi keeps stopping (${run.how}${run.said ? `: ${run.said}` : ''})`);
      return;
    }
    if (verdict.notice) options.onNotice('warn', verdict.notice);
    await delay(options.restartDelayMs ?? 1000, signal);
  }
}

/**
 * One nvidia-smi loop, until it ends, is stopped, or gives no complete block
 * for stallMs (then it is stopped here). `how`: why it ended; `said`: its
 * last line that was not a reading (an error, say).
 */
async function runLoop(options: GpuSamplerOptions, fields: string[], blocks: SmiBlocks, signal: AbortSignal): Promise<{ how: string; said: string | null }> {
  const stallMs = options.stallMs ?? gpuStaleAfterMs(options.intervalMs);
  const loop = new AbortController();
  const onAbort = () => loop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      stalled = true;
      loop.abort();
    }, stallMs);
  };
  watch();
  let said: string | null = null;
  let sent = 0;
  const result = await runStreaming([options.command ?? 'nvidia-smi', ...queryArgv(fields, options.intervalMs)], {
    env: options.env,
    signal: loop.signal,
    killGraceMs: 2000,
    onLine: (line, stream) => {
      if (stream === 'stdout' && blocks.line(line)) {
        if (blocks.sent !== sent) watch(); // a complete block: the watchdog starts again
        sent = blocks.sent;
      } else if (line.trim() !== '') said = line.trim();
    },
  }).finally(() => {
    clearTimeout(watchdog);
    signal.removeEventListener('abort', onAbort);
  });
  if (stalled) return { how: `no reading for ${Math.round(stallMs / 100) / 10} s`, said: null };
  return { how: result.spawnError ? firstLine(result.spawnError) : `exit ${result.exitCode ?? result.signal ?? '?'}`, said };
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

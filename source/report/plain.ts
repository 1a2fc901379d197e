// The plain reporter for runs without a terminal (CI, cron, pipes, --no-tui):
// one line per transition, no spinners, no cursor movement, no colour unless
// asked. It reads only the state and the action, so it prints nothing the
// state does not hold (no secrets). Container output is not printed, except
// the tail of a failed experiment's. Which actions are news, and when a
// service or job changed enough to say so, is actionNews.ts's (shared with
// NDJSON); this file words the news.
import { energyDisagrees, type GpuFigures } from '../domain/gpu.js';
import type { ContainerState } from '../domain/containerState.js';
import { formatDuration, formatEnergy, formatNumber, NA } from '../state/format.js';
import { isActiveJob, type SlurmJob } from '../domain/slurmJob.js';
import { isFailedJob, jobStateText } from '../state/jobs.js';
import { ourLastExit } from '../state/ourRestarts.js';
import { selectSlotGpus } from '../state/selectors.js';
import type { Listener } from '../state/store.js';
import type { Action, CampaignState, ExperimentView } from '../state/types.js';
import { createActionNews, type News } from './actionNews.js';
import { formatSummary } from './summaryTable.js';

export interface PlainReporterOptions {
  /** ANSI colour for outcomes and warnings (off by default). */
  color?: boolean;
  /** Lines of a failed experiment's output to print (default 20). */
  failureTailLines?: number;
  /** Prefix each line with the action's time, "HH:MM:SS " (UTC). */
  timestamps?: boolean;
}

type Out = (line: string) => void;
type NewsOf<K extends News['kind']> = Extract<News, { kind: K }>;

export function createPlainReporter(write: (line: string) => void, options: PlainReporterOptions = {}): Listener {
  const paint = painter(options.color ?? false);
  const tailLines = options.failureTailLines ?? 20;
  const newsOf = createActionNews({ service: serviceKey, job: jobWords, plannedServicesShown: true });

  return (action, state) => {
    const news = newsOf(action, state);
    if (news === null) return;
    const stamp = options.timestamps ? `${clock(action.at)} ` : '';
    const out: Out = (line) => write(stamp + oneLine(line));
    switch (news.kind) {
      case 'experimentStarted':
      case 'experimentStuck':
      case 'experimentRetrying':
      case 'experimentFinished':
        return experimentLines(news, state, out, paint, tailLines);
      case 'service':
        // Ephemeral containers come and go with every experiment: only trouble is news to print.
        if (state.meta?.strategy === 'ephemeral' && !isTrouble(news.service)) return;
        return out(serviceLine(news.service, paint, ourLastExit(state, news.service.service)));
      case 'job':
        return out(jobLine(news.job, news.first, paint));
      case 'gapStarted':
        return out(gapLine(news.action, state));
      case 'notice': {
        const { level, message } = news.action;
        return out(level === 'info' ? message : paint(level, `${level === 'warn' ? 'warning' : 'error'}: ${message}`));
      }
      case 'experimentOutput': // not printed: only a failed experiment's tail is (experimentFinished)
      case 'gpuStatus':
      case 'gpuSample':
        return;
      default:
        return campaignLines(news, state, out, paint);
    }
  };
}

function campaignLines(news: NewsOf<'planned' | 'confirmRequired' | 'starting' | 'started' | 'pauseRequested' | 'paused' | 'resumed' | 'stopping' | 'finished'>, state: CampaignState, out: Out, paint: Paint): void {
  switch (news.kind) {
    case 'planned':
      return out(campaignHeader(state));
    case 'confirmRequired':
      return out('waiting for confirmation to start the persistent services');
    case 'starting':
      // Only what the engine starts now: ephemeral and local dispatch keep no services up.
      return out(news.services.length ? `starting services: ${news.services.join(', ')}` : 'starting');
    case 'started':
      return out('started');
    case 'pauseRequested':
      return out(news.paused ? 'pause requested: pausing after the current experiment' : 'pause cancelled');
    case 'paused':
      return out(paint('warn', 'paused'));
    case 'resumed':
      return out('resumed');
    case 'stopping':
      return out(paint('warn', `stopping: ${news.reason}`));
    case 'finished':
      for (const line of formatSummary(state, news.exitCode)) out(line);
      return;
  }
}

function experimentLines(
  news: NewsOf<'experimentStarted' | 'experimentStuck' | 'experimentRetrying' | 'experimentFinished'>,
  state: CampaignState,
  out: Out,
  paint: Paint,
  tailLines: number,
): void {
  const exp = news.exp;
  const label = exp ? experimentLabel(exp, state) : news.action.expId;
  switch (news.kind) {
    case 'experimentStarted': {
      const { action } = news;
      if (news.newCycle && exp) out(`── cycle ${exp.cycleIndex + 1}/${cycles(state)} ──`);
      return out(`${label} started${action.attempt > 1 ? ` (attempt ${action.attempt})` : ''}${onGpus(action.gpus)}`);
    }
    case 'experimentStuck':
      return out(paint('warn', `${label} no output for ${formatDuration(news.action.silentForMs)}`));
    case 'experimentRetrying': {
      const { action } = news;
      const wait = action.delayMs > 0 ? ` in ${formatDuration(action.delayMs)}` : '';
      return out(
        paint('warn', `${label} attempt ${action.nextAttempt - 1} failed: ${action.reason}; retrying${wait} (attempt ${action.nextAttempt})`),
      );
    }
    case 'experimentFinished':
      // With --gpus several finish side by side: say on which GPUs (its latest attempt's).
      out(finishedLine(`${label}${onGpus(exp?.gpus)}`, news.action, paint));
      if (news.action.status === 'failed' && exp) {
        for (const line of exp.failureTail.slice(-tailLines)) out(`    | ${line}`);
      }
      return;
  }
}

function gapLine(action: Extract<Action, { type: 'gap/started' }>, state: CampaignState): string {
  const wait = formatDuration(action.endsAt - action.at);
  const next = state.experiments.find((e) => e.status === 'pending');
  const what = action.kind === 'cycle' && next ? `cycle ${next.cycleIndex + 1}/${cycles(state)}` : `the next ${action.kind}`;
  // With --gpus each slot waits on its own: say whose GPUs wait. A cycle's gap is every GPU's (planQueue.ts).
  const slotGpus = action.slot === undefined || action.kind === 'cycle' ? null : selectSlotGpus(state, action.slot);
  return `waiting ${wait} before ${what}${onGpus(slotGpus)}`;
}

/** " on GPU 1", " on GPUs 0,1"; "" without --gpus. */
function onGpus(gpus: readonly string[] | null | undefined): string {
  if (!gpus || gpus.length === 0) return '';
  return ` on GPU${gpus.length > 1 ? 's' : ''} ${gpus.join(',')}`;
}

function campaignHeader(state: CampaignState): string {
  const m = state.meta;
  const n = state.experiments.length;
  const done = state.experiments.filter((e) => e.status === 'completed').length;
  if (!m) return `campaign: ${n} experiments`;
  return [
    `campaign ${m.campaignName} (id ${m.campaignId})`,
    `${n} experiment${n === 1 ? '' : 's'}${done ? ` (${done} already completed)` : ''}`,
    `${m.cycles} cycle${m.cycles === 1 ? '' : 's'}, ${m.structure}`,
    `strategy ${m.strategy}`,
    m.scheduler
      ? `dispatch slurm (${m.scheduler.partition ? `partition ${m.scheduler.partition}` : 'default partition'}, ${m.scheduler.gres}, up to ${m.scheduler.maxJobs} jobs at once)`
      : `dispatch ${m.dispatch}${m.dispatchReason ? ` (${m.dispatchReason})` : ''}`,
  ].join(' · ');
}

/** "[ 3/12] cycle 1/3 pytorch_fp16 (pytorch)" */
export function experimentLabel(e: ExperimentView, state: CampaignState): string {
  const total = String(state.experiments.length);
  const number = String(e.index + 1).padStart(total.length, ' ');
  return `[${number}/${total}] cycle ${e.cycleIndex + 1}/${cycles(state)} ${e.configName} (${e.backend})`;
}

function cycles(state: CampaignState): number {
  return state.meta?.cycles ?? Math.max(1, ...state.experiments.map((e) => e.cycleIndex + 1));
}

function finishedLine(label: string, action: Extract<Action, { type: 'experiment/finished' }>, paint: Paint): string {
  const took = formatDuration(action.durationMs);
  if (action.status === 'failed') return paint('error', `${label} FAILED after ${took}: ${action.reason ?? 'unknown reason'}`);
  if (action.status === 'skipped') return paint('warn', `${label} skipped after ${took}${action.reason ? `: ${action.reason}` : ''}`);
  if (action.status === 'interrupted') return paint('warn', `${label} interrupted after ${took}: runs again on --resume`);
  const m = action.metrics;
  const parts = [`${label} ${paint('ok', 'completed')} in ${took}`];
  if (!m) parts.push(action.reason ?? 'no result');
  else {
    // A result whose energy tracking failed has no energy to trust: n/a, flagged.
    const trusted = !m.energyTrackingFailed;
    parts.push(trusted ? `energy ${formatEnergy(m.energyJ)}` : 'energy n/a (energy tracking failed)');
    parts.push(`${formatNumber(m.tokensPerSecond)} tok/s`);
    parts.push(`${formatNumber(trusted ? m.joulesPerToken : null)} J/tok`);
  }
  const host = hostEnergy(action.gpu ?? null, m && !m.energyTrackingFailed ? m.energyJ : null);
  if (host) parts.push(host.disagrees ? paint('warn', host.text) : host.text);
  return parts.join(' · ');
}

/**
 * "host GPU 912 J (304 W mean)", flagged when the harness's energy differs by
 * more than 25 %; "host GPU n/a (why)" when telemetry ran but measured none.
 */
function hostEnergy(gpu: GpuFigures | null, harnessJ: number | null): { text: string; disagrees: boolean } | null {
  if (!gpu) return null;
  if (gpu.gpuEnergyJ === null) return { text: `host GPU ${NA}${gpu.gpuEnergyMissing ? ` (${gpu.gpuEnergyMissing})` : ''}`, disagrees: false };
  const disagrees = energyDisagrees(harnessJ, gpu.gpuEnergyJ) === true;
  const mean = gpu.gpuMeanPowerW === null ? '' : ` (${formatNumber(gpu.gpuMeanPowerW)} W mean)`;
  return { text: `host GPU ${formatEnergy(gpu.gpuEnergyJ)}${mean}${disagrees ? ' ⚠ differs from the harness by >25 %' : ''}`, disagrees };
}

/**
 * "job 12 lem-a1b2c3d4-camp-0003 PENDING (Resources)" when first seen (with its
 * name), then "job 12 RUNNING on node vm, GPU 1", "job 12 TIMEOUT (TimeLimit)":
 * a line when its state, reason, node or GPUs change, never for time alone
 * (its key is jobWords, actionNews.ts).
 */
function jobLine(job: SlurmJob, first: boolean, paint: Paint): string {
  const text = `job ${job.jobId}${first ? ` ${job.name}` : ''} ${jobWords(job)}`;
  return isFailedJob(job.state) ? paint('error', text) : job.state === 'CANCELLED' ? paint('warn', text) : text;
}

/** Its state with Slurm's reason; where it runs while Slurm runs it. */
function jobWords(job: SlurmJob): string {
  const placed = isActiveJob(job.state) && job.state !== 'PENDING' && job.node !== null;
  const gpus = job.gpus ? `, GPU${job.gpus.includes(',') ? 's' : ''} ${job.gpus}` : '';
  return `${jobStateText(job)}${placed ? ` on node ${job.node}${gpus}` : ''}`;
}

function serviceKey(s: ContainerState): string {
  return JSON.stringify([s.status, s.restarts, s.lastExitCode, s.message]);
}

function isTrouble(s: ContainerState): boolean {
  return s.status === 'error' || s.message !== null || (s.status === 'exited' && (s.lastExitCode ?? 0) !== 0);
}

/** `ours`: "restarted by lem-tui (residual memory)" when a restart of ours ended its last container: no crash, no warning. */
function serviceLine(s: ContainerState, paint: Paint, ours: string | null): string {
  const ended = s.status === 'exited' || s.status === 'stopped' || s.status === 'error';
  const details = [
    s.lastExitCode !== null && ended ? (ours ?? `exit ${s.lastExitCode}`) : null,
    s.restarts > 0 ? `restarts ${s.restarts}` : null,
  ].filter(Boolean);
  const text = `service ${s.service}: ${s.status}${details.length ? ` (${details.join(', ')})` : ''}${s.message ? `: ${s.message}` : ''}`;
  return s.status === 'error' || (s.status === 'exited' && !ours) ? paint('warn', text) : text;
}

function clock(at: number): string {
  return Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? new Date(at).toISOString().slice(11, 19) : '--:--:--';
}

type Tone = 'ok' | 'warn' | 'error';
type Paint = (tone: Tone, text: string) => string;

const SGR: Record<Tone, string> = { ok: '32', warn: '33', error: '31' };

function painter(color: boolean): Paint {
  return color ? (tone, text) => `\u001b[${SGR[tone]}m${text}\u001b[39m` : (_tone, text) => text;
}

/**
 * Every call prints exactly one line: a newline or carriage return inside
 * user data (a failure reason with the harness's own output, a message) is
 * shown as "⏎", and other control characters (but ANSI colour we add) are dropped.
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g, '');
}

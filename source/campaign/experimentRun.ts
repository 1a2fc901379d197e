// One experiment from start to finish: its config file and log, its
// attempts through the dispatcher, the retry policy, what a skip, a user's
// restart or a quit does to the attempt under way, reading its result
// (require_result), and what it leaves in the manifest and the views.
import fs from 'node:fs';
import type { RunSettings } from '../config/types.js';
import type { Dispatcher } from '../dispatch/types.js';
import type { DispatchRequest, RunOutcome } from '../domain/runRequest.js';
import type { Plan, PlannedExperiment } from '../plan/types.js';
import type { Where } from '../domain/where.js';
import type { Action } from '../state/types.js';
import type { GpuFigures } from '../domain/gpu.js';
import type { ExperimentMetrics } from './types.js';
import { measureGpus, type GpuSampleHub } from './gpuMeter.js';
import { manifestGpu } from './manifestGpu.js';
import { buildDispatchRequest, type CallerIdentity } from './dispatchRequest.js';
import { cancellableSleep } from './cancellableSleep.js';
import { openExperimentLog, type ExperimentLog } from './experimentLog.js';
import { removeExperimentConfig, writeExperimentConfig } from './experimentConfigFile.js';
import type { ManifestWriter } from './manifestWriter.js';
import { errorMessage } from './notice.js';
import { readMetrics, type ResultFinder } from './results.js';
import { isRetryable, retryDelayMs } from './retryPolicy.js';
import type { ServiceHealth } from './serviceHealth.js';
import type { SlotWords } from './slotWords.js';

/** Why the attempt under way was stopped from outside. */
export type Interruption = 'skip' | 'restart' | 'quit';

export interface ExperimentRunContext {
  plan: Plan;
  settings: RunSettings;
  dispatcher: Dispatcher;
  where: Where;
  env: NodeJS.ProcessEnv;
  caller: CallerIdentity;
  /** The campaign's: aborting it ends the attempt and every retry. */
  signal: AbortSignal;
  dispatch: (action: Action) => void;
  now: () => number;
  manifest: ManifestWriter;
  results: ResultFinder;
  /** The restart budget of the slot this experiment runs in. */
  health: ServiceHealth;
  /** The host's GPU samples; null when telemetry is off or unavailable. */
  gpus: GpuSampleHub | null;
  /** The slot it runs in: its GPUs and its name for a long-lived service. */
  slot: SlotWords;
}

export type FinalStatus = 'completed' | 'failed' | 'skipped' | 'interrupted';

interface Final {
  status: FinalStatus;
  outcome: RunOutcome | null;
  reason: string | null;
  metrics: ExperimentMetrics | null;
}

interface RunningAttempt {
  controller: AbortController;
  interruption: Interruption | null;
  lastOutputAt: number;
  /** When it was asked to stop (skip, quit, a signal); null while it runs on its own. */
  stopAskedAt: number | null;
}

const NO_RESULT = 'no result file found';
/** A stop of the campaign: the entry goes back to pending, so --resume runs it again. */
const INTERRUPTED: Final = { status: 'interrupted', outcome: null, reason: 'interrupted: runs again on --resume', metrics: null };

export class ExperimentRun {
  /** Only while an attempt runs: a skip or quit between attempts has nothing to stop. */
  private attempt: RunningAttempt | null = null;
  /** Set once its config file and log are ready: the result must be newer than this. */
  private startedAt = 0;
  /** When the attempt under way (or the last one) started: a result that came despite a stop must be newer than this. */
  private attemptStartedAt = 0;
  /** The GPU figures of the last attempt: the one whose result counts. */
  private gpu: GpuFigures | null = null;

  constructor(
    readonly experiment: PlannedExperiment,
    private readonly context: ExperimentRunContext,
  ) {}

  /** When the attempt under way last printed a line; null between attempts. */
  get lastOutputAt(): number | null {
    return this.attempt?.lastOutputAt ?? null;
  }

  /** Stop the attempt under way; the first reason given is the one that counts. */
  interrupt(why: Interruption): void {
    const attempt = this.attempt;
    if (!attempt) return;
    attempt.interruption ??= why;
    attempt.controller.abort();
  }

  /**
   * The user restarts `service`: an attempt running on it ends with the
   * restart and runs again, without spending its retry budget (the user chose
   * to restart). Nothing is aborted here: the restart ends the attempt.
   */
  serviceRestarting(service: string): void {
    if (this.attempt && this.service === service) this.attempt.interruption ??= 'restart';
  }

  /**
   * Slurm's `r`: its job is about to be cancelled and submitted again, ending
   * the attempt like a user restart. Returns how to take that back (the
   * cancel failed), or null when no attempt runs.
   */
  resubmitting(): (() => void) | null {
    const attempt = this.attempt;
    if (!attempt || attempt.interruption) return null;
    attempt.interruption = 'restart';
    return () => {
      if (attempt.interruption === 'restart') attempt.interruption = null;
    };
  }

  /** The long-lived service it runs in (persistent with --gpus: its slot's own). */
  private get service(): string {
    return this.context.slot.serviceOf(this.experiment.config.service);
  }

  /** Runs every attempt it takes; resolves to how the experiment ended. */
  async run(): Promise<FinalStatus> {
    const { plan, settings, where, env, caller, manifest, now } = this.context;
    const { expId } = this.experiment;
    const request = buildDispatchRequest(plan, this.experiment, settings, where, env, caller, this.context.slot.gpus);
    const configFile = await writeExperimentConfig(settings.configsDir, this.experiment, { name: plan.campaignName, id: plan.campaignId });
    const log = openExperimentLog(settings.resultsDir, expId);
    this.startedAt = now();
    manifest.record(expId, { status: 'running', started_at: iso(this.startedAt), completed_at: null, error: null });
    let final: Final;
    try {
      final = await this.attempts(request, log);
    } finally {
      this.attempt = null;
      void log.end();
      await removeExperimentConfig(configFile);
    }
    this.report(final);
    return final.status;
  }

  private async attempts(request: DispatchRequest, log: ExperimentLog): Promise<Final> {
    const { settings, dispatcher, dispatch, signal, now, manifest, health } = this.context;
    const { expId } = this.experiment;
    const { service } = this;
    const { index: slot, labels: gpus } = this.context.slot;
    let attempt = 1;
    let retries = 0;
    for (;;) {
      if (signal.aborted) return INTERRUPTED;
      if (settings.coldStart && dispatcher.capabilities.coldStart) {
        dispatch({ type: 'service/restarting', at: now(), service, why: 'cold start' });
        await dispatcher.restart(service);
      }
      this.attemptStartedAt = now();
      if (attempt > 1) manifest.record(expId, { attempt_started_at: iso(this.attemptStartedAt) });
      dispatch({ type: 'experiment/started', at: now(), expId, attempt, gpus, slot, service });
      log.note(`── attempt ${attempt} · ${new Date(now()).toISOString()} · ${dispatcher.describe(request).join(' ')}\n`);
      const outcome = await this.runAttempt(request, log);
      const interruption = this.attempt?.interruption ?? null;
      const stopAskedAt = this.attempt?.stopAskedAt ?? null;
      this.attempt = null;

      const final = await this.ended(outcome, interruption, stopAskedAt);
      if (final) return final;
      const reason = describeFailure(outcome);
      const userRestart = interruption === 'restart';
      if (!userRestart && !(isRetryable(outcome) && retries < settings.maxRetries)) {
        await health.afterFailure(service, outcome);
        return { status: 'failed', outcome, reason, metrics: null };
      }
      if (!userRestart) retries += 1;
      const delayMs = userRestart ? 0 : retryDelayMs(retries);
      attempt += 1;
      dispatch({ type: 'experiment/retrying', at: now(), expId, nextAttempt: attempt, reason, delayMs });
      manifest.record(expId, { retry_count: attempt - 1 });
      if (!userRestart) await health.afterFailure(service, outcome);
      await cancellableSleep(delayMs, signal);
    }
  }

  /** How the experiment ends after this attempt; null when a failure may be tried again. */
  private async ended(outcome: RunOutcome, interruption: Interruption | null, stopAskedAt: number | null): Promise<Final | null> {
    if (outcome.exitCode === 0 && !outcome.cancelled && !outcome.timedOut) {
      const metrics = await this.readResult();
      // In an energy campaign, exit 0 without a result is a measurement that did not happen.
      if (metrics || !this.context.settings.requireResult) return { status: 'completed', outcome, reason: null, metrics };
      await this.context.health.afterFailure(this.service);
      return { status: 'failed', outcome, reason: NO_RESULT, metrics: null };
    }
    if (interruption === 'quit' || this.context.signal.aborted) return (await this.finishedDespiteStop(outcome, stopAskedAt)) ?? INTERRUPTED;
    if (interruption === 'skip') return { status: 'skipped', outcome, reason: 'skipped by user', metrics: null };
    return null;
  }

  /**
   * A stop came, but the harness still wrote a complete, readable result of
   * this attempt: that measurement stands (never run again on --resume, which
   * would overwrite it). It counts when the harness then ended normally
   * (exit 0), or when the result was there before the stop was asked for: a
   * result written on the way out of a stopped run may be a partial one.
   */
  private async finishedDespiteStop(outcome: RunOutcome, stopAskedAt: number | null): Promise<Final | null> {
    const found = await this.findResult(this.attemptStartedAt - 1000);
    if (!found) return null;
    if (outcome.exitCode !== 0) {
      const writtenAt = await fs.promises.stat(found).then((st) => st.mtimeMs, () => Number.POSITIVE_INFINITY);
      if (stopAskedAt === null || writtenAt > stopAskedAt) return null;
    }
    const metrics = await readMetrics(found).catch(() => null);
    return metrics ? { status: 'completed', outcome, reason: null, metrics } : null;
  }

  private async runAttempt(request: DispatchRequest, log: ExperimentLog): Promise<RunOutcome> {
    const { dispatcher, dispatch, signal, now } = this.context;
    const { expId } = this.experiment;
    const controller = new AbortController();
    const running: RunningAttempt = { controller, interruption: null, lastOutputAt: now(), stopAskedAt: null };
    controller.signal.addEventListener('abort', () => (running.stopAskedAt ??= now()), { once: true });
    this.attempt = running;
    const onCampaignAbort = () => controller.abort();
    signal.addEventListener('abort', onCampaignAbort, { once: true });
    const output = log.attempt((lines, dropped) => dispatch({ type: 'experiment/output', at: now(), expId, lines, dropped }));
    const gpus = measureGpus(this.context.gpus, request.env.CUDA_VISIBLE_DEVICES, now());
    try {
      return await dispatcher.run(request, {
        signal: controller.signal,
        onLine: (line) => {
          running.lastOutputAt = now();
          output.line(line);
        },
        onStuck: (silentForMs) => dispatch({ type: 'experiment/stuck', at: now(), expId, silentForMs }),
      });
    } catch (error) {
      // A dispatcher fault (a service that cannot be restarted, say) fails
      // this attempt; the campaign goes on with the next experiment.
      return { exitCode: null, signal: null, durationMs: 0, timedOut: false, cancelled: controller.signal.aborted, reason: errorMessage(error) };
    } finally {
      output.close();
      this.gpu = gpus.stop(now());
      signal.removeEventListener('abort', onCampaignAbort);
    }
  }

  private async readResult(): Promise<ExperimentMetrics | null> {
    const found = await this.findResult(this.startedAt - 1000);
    return found ? await readMetrics(found).catch(() => null) : null; // a malformed result is "no result", never a crash
  }

  /** This experiment's result written since `since`; null when there is none. */
  private async findResult(since: number): Promise<string | null> {
    return this.context.results.find(this.experiment.expId, { since }).catch(() => null);
  }

  private report(final: Final): void {
    const { manifest, dispatch, now } = this.context;
    const { expId } = this.experiment;
    const { status, outcome, reason, metrics } = final;
    const interrupted = status === 'interrupted';
    manifest.record(expId, {
      status: interrupted ? 'pending' : status,
      completed_at: interrupted ? null : iso(now()),
      result_path: metrics?.resultPath ?? null,
      error: status === 'completed' ? null : reason,
      gpu: interrupted ? null : manifestGpu(this.gpu),
    });
    dispatch({
      type: 'experiment/finished',
      at: now(),
      expId,
      status,
      exitCode: outcome?.exitCode ?? null,
      reason: status === 'completed' && !metrics ? NO_RESULT : reason,
      durationMs: outcome?.durationMs ?? now() - this.startedAt,
      metrics,
      gpu: interrupted ? null : this.gpu,
    });
  }
}

function describeFailure(outcome: RunOutcome): string {
  if (outcome.timedOut) return outcome.reason ?? 'timed out';
  if (outcome.reason) return outcome.reason;
  if (outcome.signal) return `ended by ${outcome.signal}`;
  return `exit ${outcome.exitCode ?? '?'}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// The campaign engine: turns a Plan into finished experiments through one
// Dispatcher (it does not know which), records every change as an action for
// the reducer and in the manifest, and obeys the commands the views send.
// Cancellation is a signal: one AbortController for the campaign, one per
// experiment; teardown runs in `finally`.
import fs from 'node:fs';
import path from 'node:path';
import type { RunSettings } from '../config/types.js';
import type { Dispatcher, RunOutcome } from '../compose/types.js';
import type { Plan, PlannedExperiment } from '../plan/types.js';
import type { Where } from '../domain/where.js';
import type { Action, Command } from '../state/types.js';
import type { ExperimentMetrics, Manifest, ManifestEntry } from './types.js';
import { buildDispatchRequest, type CallerIdentity } from './dispatchRequest.js';
import { cancellableSleep } from './cancellableSleep.js';
import { OutputBatcher } from './outputBatcher.js';
import { isRetryable, retryDelayMs } from './retryPolicy.js';
import { updateEntry, writeManifest } from './manifest.js';
import { ResultFinder, readMetrics } from './results.js';
import { removeExperimentConfig, writeExperimentConfig } from './experimentConfigFile.js';
import { EXIT } from '../domain/exitCodes.js';
import { highestUsePct } from '../compose/gpuMemory.js';
import { shellQuote } from '../domain/shellQuote.js';

export interface EngineOptions {
  plan: Plan;
  settings: RunSettings;
  dispatcher: Dispatcher;
  dispatch: (action: Action) => void;
  manifest: Manifest;
  /** Experiments to run (a resume leaves completed ones out). */
  toRun: ReadonlySet<string>;
  /** Where the harness runs: decides the config and results paths it is given. */
  where: Where;
  env: NodeJS.ProcessEnv;
  caller: CallerIdentity;
  /** Persistent mode in a terminal without --yes: wait for a `confirm` command. */
  needsConfirm: boolean;
  /** Emit a "still running" notice when nothing was said for this long (0 = never). */
  heartbeatMs?: number;
  now?: () => number;
}

type Interruption = 'skip' | 'restart' | 'quit';

const NO_RESULT = 'no result file found';

interface RunningExperiment {
  experiment: PlannedExperiment;
  controller: AbortController;
  interruption: Interruption | null;
  lastOutputAt: number;
}

export class CampaignEngine {
  private readonly campaign = new AbortController();
  private readonly now: () => number;
  private manifest: Manifest;
  private manifestWrites: Promise<void> = Promise.resolve();
  private manifestWriteQueued = false;
  private readonly results: ResultFinder;
  private current: RunningExperiment | null = null;
  private gapController: AbortController | null = null;
  private pauseRequested = false;
  private wakePaused: (() => void) | null = null;
  private answerConfirm: ((answer: boolean) => void) | null = null;
  private stopReason: 'quit' | 'teardown' | null = null;
  private readonly restartsByService = new Map<string, number>();
  private failed = 0;
  private experimentsSinceHealthCheck = 0;
  private readonly gpuUnreadable = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.manifest = options.manifest;
    this.results = new ResultFinder(options.settings.resultsDir);
    // Failures of an earlier run that are not run again still count in the exit code.
    const planned = new Set(options.plan.experiments.map((e) => e.expId));
    this.failed = options.manifest.experiments.filter(
      (e) => e.status === 'failed' && planned.has(e.exp_id) && !options.toRun.has(e.exp_id),
    ).length;
  }

  /** The campaign's signal: aborted by quit, teardown or a process signal. */
  get signal(): AbortSignal {
    return this.campaign.signal;
  }

  command(command: Command): void {
    switch (command.type) {
      case 'confirm':
        this.answerConfirm?.(command.answer);
        return;
      case 'quit':
        this.stop('quit', command.force ? 'forced quit' : 'quit requested');
        return;
      case 'teardown':
        this.stop('teardown', 'teardown requested');
        return;
      case 'skipCurrent':
        if (this.gapController) this.gapController.abort();
        else this.interruptCurrent('skip');
        return;
      case 'togglePause':
        this.togglePause();
        return;
      case 'restartService':
        void this.restartService(command.service);
        return;
    }
  }

  /** Runs the whole campaign; resolves to the process exit code. Never throws. */
  async run(): Promise<number> {
    const { dispatcher, dispatch, plan } = this.options;
    let started = false;
    let exitCode: number = EXIT.ok;
    const unsubscribe = dispatcher.onState((state) => dispatch({ type: 'service/state', at: this.now(), state }));
    const heartbeat = this.startHeartbeat();
    try {
      if (this.options.needsConfirm) {
        dispatch({ type: 'campaign/confirmRequired', at: this.now() });
        const answer = await this.waitForConfirm();
        if (!answer) {
          this.notice('info', 'persistent mode declined: nothing was started');
          return (exitCode = EXIT.interrupted);
        }
      }
      // Nothing to run (a resume of a finished campaign): start nothing for it.
      const anything = this.options.toRun.size > 0;
      const services = anything && dispatcher.capabilities.keepsServicesUp ? plan.services : [];
      dispatch({ type: 'campaign/starting', at: this.now(), services });
      started = true;
      // The services bind-mount these: a missing bind source would be created by Docker, as root.
      fs.mkdirSync(this.options.settings.configsDir, { recursive: true });
      fs.mkdirSync(this.options.settings.resultsDir, { recursive: true });
      if (anything) await dispatcher.prepare(this.signal);
      // A stop during prepare keeps the phase at stopping: "started" now would undo it.
      if (!this.signal.aborted) dispatch({ type: 'campaign/started', at: this.now() });

      let previous: PlannedExperiment | null = null;
      for (const experiment of plan.experiments) {
        if (this.signal.aborted) break;
        if (!this.options.toRun.has(experiment.expId)) continue;
        if (previous) await this.gap(previous.cycleIndex === experiment.cycleIndex ? 'experiment' : 'cycle');
        await this.waitWhilePaused();
        if (this.signal.aborted) break;
        await this.runExperiment(experiment);
        await this.healthCheck();
        previous = experiment;
      }
      exitCode = this.signal.aborted ? EXIT.interrupted : this.failed > 0 ? EXIT.someFailed : EXIT.ok;
    } catch (error) {
      exitCode = this.signal.aborted ? EXIT.interrupted : EXIT.badInput;
      if (!this.signal.aborted) this.notice('error', errorMessage(error));
    } finally {
      clearInterval(heartbeat);
      const leftRunning = started ? await this.finish() : [];
      unsubscribe();
      await this.manifestWrites;
      dispatch({ type: 'campaign/finished', at: this.now(), exitCode, leftRunning });
    }
    return exitCode;
  }

  private async finish(): Promise<string[]> {
    const { dispatcher, settings, plan } = this.options;
    const keep = dispatcher.capabilities.keepsServicesUp && !settings.autoTeardown && this.stopReason !== 'teardown';
    if (keep) {
      const left = await dispatcher.leftRunning();
      const names = left?.containers.length ? left.containers : plan.services;
      const hint = dispatcher.commands.stopHint;
      const stop = left && hint ? ` — stop them with: ${shellQuote(hint)}` : '';
      this.notice('warn', `auto_teardown is off: ${names.join(', ')} left running${stop}`);
      return names;
    }
    // No second campaign/stopping here: stop() said why, and the phase is
    // still "stopping" through the teardown ("Tearing down (quit requested)…").
    try {
      await dispatcher.shutdown();
    } catch (error) {
      this.notice('error', `teardown failed: ${errorMessage(error)}`);
    }
    return [];
  }

  private stop(reason: 'quit' | 'teardown', message: string): void {
    if (this.stopReason === null) this.stopReason = reason;
    this.options.dispatch({ type: 'campaign/stopping', at: this.now(), reason: message });
    this.interruptCurrent('quit');
    this.gapController?.abort();
    this.answerConfirm?.(false);
    this.wakePaused?.();
    this.campaign.abort();
  }

  private interruptCurrent(why: Interruption): void {
    const current = this.current;
    if (!current) return;
    current.interruption ??= why;
    current.controller.abort();
  }

  private togglePause(): void {
    this.pauseRequested = !this.pauseRequested;
    this.options.dispatch({ type: 'campaign/pauseRequested', at: this.now(), paused: this.pauseRequested });
    if (!this.pauseRequested) this.wakePaused?.();
  }

  private async waitWhilePaused(): Promise<void> {
    if (!this.pauseRequested || this.signal.aborted) return;
    this.options.dispatch({ type: 'campaign/paused', at: this.now() });
    await new Promise<void>((resolve) => (this.wakePaused = resolve));
    this.wakePaused = null;
    if (!this.signal.aborted) this.options.dispatch({ type: 'campaign/resumed', at: this.now() });
  }

  private waitForConfirm(): Promise<boolean> {
    return new Promise((resolve) => {
      this.answerConfirm = (answer) => {
        this.answerConfirm = null;
        resolve(answer);
      };
    });
  }

  private async restartService(service: string): Promise<void> {
    const current = this.current;
    // The running experiment on that service is interrupted: it runs again,
    // without spending its retry budget (the user chose to restart).
    if (current && current.experiment.config.service === service) current.interruption ??= 'restart';
    this.notice('info', `restarting ${service}`);
    try {
      await this.options.dispatcher.restart(service);
      this.notice('info', `${service} restarted`);
    } catch (error) {
      this.notice('error', `restart of ${service} failed: ${errorMessage(error)}`);
    }
  }

  private async gap(kind: 'experiment' | 'cycle'): Promise<void> {
    const { settings, dispatch } = this.options;
    const seconds = kind === 'cycle' ? settings.cycleGapSeconds : settings.configGapSeconds;
    if (seconds <= 0 || this.signal.aborted) return;
    const at = this.now();
    this.gapController = new AbortController();
    const stopGap = () => this.gapController?.abort();
    this.signal.addEventListener('abort', stopGap, { once: true });
    dispatch({ type: 'gap/started', at, kind, endsAt: at + seconds * 1000 });
    await cancellableSleep(seconds * 1000, this.gapController.signal);
    this.signal.removeEventListener('abort', stopGap);
    this.gapController = null;
    dispatch({ type: 'gap/ended', at: this.now() });
  }

  private async runExperiment(experiment: PlannedExperiment): Promise<void> {
    const { plan, settings, dispatcher, dispatch } = this.options;
    const { expId } = experiment;
    const service = experiment.config.service;
    const request = buildDispatchRequest(plan, experiment, settings, this.options.where, this.options.env, this.options.caller);
    const configFile = await writeExperimentConfig(settings.configsDir, experiment, {
      name: plan.campaignName,
      id: plan.campaignId,
    });
    const log = openExperimentLog(settings.resultsDir, expId);
    const startedAt = this.now();
    this.recordEntry(expId, { status: 'running', started_at: iso(startedAt), completed_at: null, error: null });

    let attempt = 1;
    let retries = 0;
    let metrics: ExperimentMetrics | null = null;
    let final: { status: 'completed' | 'failed' | 'skipped'; outcome: RunOutcome | null; reason: string | null } = {
      status: 'skipped',
      outcome: null,
      reason: 'interrupted: runs again on --resume',
    };
    try {
      for (;;) {
        if (this.signal.aborted) break;
        if (settings.coldStart && dispatcher.capabilities.coldStart) await dispatcher.restart(service);
        dispatch({ type: 'experiment/started', at: this.now(), expId, attempt });
        log.write(`── attempt ${attempt} · ${new Date(this.now()).toISOString()} · ${dispatcher.describe(request).join(' ')}\n`);
        const outcome = await this.runAttempt(experiment, request, log);
        const interruption = this.current?.interruption ?? null;
        this.current = null;

        if (outcome.exitCode === 0 && !outcome.cancelled && !outcome.timedOut) {
          metrics = await this.readResult(expId, startedAt);
          // In an energy campaign, exit 0 without a result is a measurement that did not happen.
          if (metrics || !settings.requireResult) {
            final = { status: 'completed', outcome, reason: null };
            break;
          }
          final = { status: 'failed', outcome, reason: NO_RESULT };
          await this.restartAfterFailure(service);
          break;
        }
        if (interruption === 'quit' || this.signal.aborted) break;
        if (interruption === 'skip') {
          final = { status: 'skipped', outcome, reason: 'skipped by user' };
          break;
        }
        const reason = describeFailure(outcome);
        const userRestart = interruption === 'restart';
        if (userRestart || (isRetryable(outcome) && retries < settings.maxRetries)) {
          if (!userRestart) retries += 1;
          const delayMs = userRestart ? 0 : retryDelayMs(retries);
          attempt += 1;
          dispatch({ type: 'experiment/retrying', at: this.now(), expId, nextAttempt: attempt, reason, delayMs });
          this.recordEntry(expId, { retry_count: attempt - 1 });
          if (!userRestart) await this.restartAfterFailure(service, outcome);
          await cancellableSleep(delayMs, this.signal);
          continue;
        }
        final = { status: 'failed', outcome, reason };
        await this.restartAfterFailure(service, outcome);
        break;
      }
    } finally {
      this.current = null;
      log.end();
      await removeExperimentConfig(configFile);
    }

    if (final.status !== 'completed') metrics = null;
    if (final.status === 'failed') this.failed += 1;
    const interrupted = final.status === 'skipped' && final.reason?.startsWith('interrupted');
    this.recordEntry(expId, {
      status: interrupted ? 'pending' : final.status,
      completed_at: interrupted ? null : iso(this.now()),
      result_path: metrics?.resultPath ?? null,
      error: final.status === 'completed' ? null : final.reason,
    });
    dispatch({
      type: 'experiment/finished',
      at: this.now(),
      expId,
      status: final.status,
      exitCode: final.outcome?.exitCode ?? null,
      reason: final.status === 'completed' && !metrics ? NO_RESULT : final.reason,
      durationMs: final.outcome?.durationMs ?? this.now() - startedAt,
      metrics,
    });
  }

  private async runAttempt(
    experiment: PlannedExperiment,
    request: ReturnType<typeof buildDispatchRequest>,
    log: fs.WriteStream,
  ): Promise<RunOutcome> {
    const { dispatcher, dispatch } = this.options;
    const { expId } = experiment;
    const controller = new AbortController();
    const running: RunningExperiment = { experiment, controller, interruption: null, lastOutputAt: this.now() };
    this.current = running;
    const onCampaignAbort = () => controller.abort();
    this.signal.addEventListener('abort', onCampaignAbort, { once: true });
    // The log file is written per batch, not per line: at 20,000 lines/s one
    // write (a Buffer and a queued request) per line was most of the
    // engine's garbage (BENCHMARKS.md, section 3).
    let logPending = '';
    const flushLog = () => {
      if (logPending.length === 0) return;
      log.write(logPending);
      logPending = '';
    };
    const batcher = new OutputBatcher((lines, dropped) => {
      flushLog();
      dispatch({ type: 'experiment/output', at: this.now(), expId, lines, dropped });
    });
    try {
      return await dispatcher.run(request, {
        signal: controller.signal,
        onLine: (line) => {
          running.lastOutputAt = this.now();
          logPending += `${line}\n`;
          if (logPending.length >= 64 * 1024) flushLog();
          batcher.push(line);
        },
        onStuck: (silentForMs) => dispatch({ type: 'experiment/stuck', at: this.now(), expId, silentForMs }),
      });
    } catch (error) {
      // A dispatcher fault (a service that cannot be restarted, say) fails
      // this attempt; the campaign goes on with the next experiment.
      return { exitCode: null, signal: null, durationMs: 0, timedOut: false, cancelled: controller.signal.aborted, reason: errorMessage(error) };
    } finally {
      batcher.drain();
      flushLog();
      this.signal.removeEventListener('abort', onCampaignAbort);
    }
  }

  /**
   * health_check: every `interval_experiments`, a long-lived service that
   * holds more GPU memory than `gpu_memory_threshold_pct` is restarted, so the
   * next experiment does not start on memory the last one left behind.
   */
  private async healthCheck(): Promise<void> {
    const { dispatcher, settings, plan } = this.options;
    const check = settings.healthCheck;
    if (!check.enabled || check.interval_experiments <= 0 || !dispatcher.gpuMemory || this.signal.aborted) return;
    this.experimentsSinceHealthCheck += 1;
    if (this.experimentsSinceHealthCheck < check.interval_experiments) return;
    this.experimentsSinceHealthCheck = 0;
    for (const service of plan.services) {
      if (this.gpuUnreadable.has(service) || this.signal.aborted) continue;
      const gpus = await dispatcher.gpuMemory(service);
      if (!gpus) {
        this.gpuUnreadable.add(service);
        this.notice('info', `health check: the GPU memory of ${service} cannot be read (no nvidia-smi or no GPU there); not checked again`);
        continue;
      }
      const usedPct = highestUsePct(gpus);
      if (usedPct <= check.gpu_memory_threshold_pct) continue;
      this.notice('warn', `health check: ${service} holds ${usedPct.toFixed(0)} % of GPU memory (threshold ${check.gpu_memory_threshold_pct} %)`);
      await this.restartCounted(service, 'after the health check');
    }
  }

  /**
   * health_check.restart_on_failure: a fresh service for the next attempt or
   * experiment. One restart per failed attempt: when the dispatcher already
   * restarted the service to end the run (a timed-out exec), that one counts.
   */
  private async restartAfterFailure(service: string, outcome?: RunOutcome): Promise<void> {
    const { dispatcher, settings } = this.options;
    if (outcome?.serviceRestarted) {
      await this.restartCounted(service, 'after a failure', { done: true });
      return;
    }
    if (!dispatcher.capabilities.restartsServices || !settings.healthCheck.restart_on_failure || this.signal.aborted) return;
    await this.restartCounted(service, 'after a failure');
  }

  /** A restart the campaign decides on, within health_check.max_restarts per service (`done`: it already happened). */
  private async restartCounted(service: string, why: string, options: { done?: boolean } = {}): Promise<void> {
    const { dispatcher, settings } = this.options;
    const used = this.restartsByService.get(service) ?? 0;
    if (options.done) {
      this.restartsByService.set(service, used + 1);
      this.notice('info', `${service} restarted ${why} (${used + 1}/${settings.healthCheck.max_restarts})`);
      return;
    }
    if (used >= settings.healthCheck.max_restarts) {
      this.notice('warn', `${service}: max_restarts (${settings.healthCheck.max_restarts}) reached, not restarting`);
      return;
    }
    this.restartsByService.set(service, used + 1);
    try {
      await dispatcher.restart(service);
      this.notice('info', `${service} restarted ${why} (${used + 1}/${settings.healthCheck.max_restarts})`);
    } catch (error) {
      this.notice('error', `restart of ${service} failed: ${errorMessage(error)}`);
    }
  }

  private async readResult(expId: string, startedAt: number): Promise<ExperimentMetrics | null> {
    try {
      const found = await this.results.find(expId, { since: startedAt - 1000 });
      return found ? await readMetrics(found) : null;
    } catch {
      return null; // a missing or malformed result is "no result", never a crash
    }
  }

  private recordEntry(expId: string, patch: Partial<ManifestEntry>): void {
    this.manifest = updateEntry(this.manifest, expId, patch, new Date(this.now()));
    // Writes go one after another, in order. Changes made while a write is
    // queued ride on it: it writes the newest manifest when its turn comes,
    // so a burst of changes costs one write, not one per change (the whole
    // manifest is rewritten each time: O(experiments)).
    if (this.manifestWriteQueued) return;
    this.manifestWriteQueued = true;
    const target = this.options.settings.manifestPath;
    this.manifestWrites = this.manifestWrites
      .then(() => {
        this.manifestWriteQueued = false;
        return writeManifest(target, this.manifest);
      })
      .catch((error) => this.notice('error', `could not write the manifest: ${errorMessage(error)}`));
  }

  private startHeartbeat(): NodeJS.Timeout | undefined {
    const every = this.options.heartbeatMs ?? 0;
    if (every <= 0) return undefined;
    return setInterval(() => {
      const current = this.current;
      if (!current) return;
      const silentMs = this.now() - current.lastOutputAt;
      if (silentMs < every) return; // output is news enough; speak up only when it is silent
      const silentS = Math.round(silentMs / 1000);
      this.notice('info', `still running ${current.experiment.config.name} (${current.experiment.expId}), last output ${silentS} s ago`);
    }, every).unref();
  }

  private notice(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.dispatch({ type: 'notice', at: this.now(), level, message });
  }
}

function describeFailure(outcome: RunOutcome): string {
  if (outcome.timedOut) return outcome.reason ?? 'timed out';
  if (outcome.reason) return outcome.reason;
  if (outcome.signal) return `ended by ${outcome.signal}`;
  return `exit ${outcome.exitCode ?? '?'}`;
}

function openExperimentLog(resultsDir: string, expId: string): fs.WriteStream {
  const dir = path.join(resultsDir, expId, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const stream = fs.createWriteStream(path.join(dir, 'output.log'), { flags: 'a' });
  stream.on('error', () => {}); // a full disk must not crash the campaign; the state keeps the tail
  return stream;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

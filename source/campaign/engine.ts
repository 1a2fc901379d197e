// The campaign engine: a scheduler of slots. It turns a Plan into finished
// experiments through one Dispatcher (it asks its capabilities, never which
// one it is), `slots` experiments at a time, each slot taking the next
// experiment of the plan in order. Every change is an action for the reducer
// and an entry in the manifest; the commands the views send reach all slots.
// Cancellation is a signal: one AbortController for the campaign, one per
// attempt; teardown runs in `finally`.
import type { GpuSampleHub } from './gpuMeter.js';
import fs from 'node:fs';
import { setMaxListeners } from 'node:events';
import type { RunSettings } from '../config/types.js';
import type { Dispatcher } from '../dispatch/types.js';
import type { Plan } from '../plan/types.js';
import { visibleDevicesValue, type SlotGpu } from '../domain/gpuSlots.js';
import { PlanQueue } from './planQueue.js';
import type { Where } from '../domain/where.js';
import type { Action, Command } from '../state/types.js';
import type { Manifest } from './types.js';
import type { CallerIdentity } from './dispatchRequest.js';
import { writeManifest } from './manifest.js';
import { ManifestWriter } from './manifestWriter.js';
import { errorMessage, noticeTo, type Notify } from './notice.js';
import { PauseGate } from './pauseGate.js';
import { ResultFinder } from './results.js';
import { Slot, type SlotContext } from './slot.js';
import { EXIT } from '../domain/exitCodes.js';
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
  /** The host's GPU samples, for each experiment's GPU figures; none when telemetry is off. */
  gpus?: GpuSampleHub | null;
  /** Experiments run at once (default 1): one per GPU, or a cluster's job limit. */
  slots?: number;
  /** --gpus: the GPUs of each slot (one slot per entry; `slots` is then their number). */
  gpuSlots?: SlotGpu[][] | null;
  /** Emit a "still running" notice when nothing was said for this long (0 = never). */
  heartbeatMs?: number;
  now?: () => number;
}

/** Listeners one slot holds on the campaign's signal at once (queue wait, attempt, gap), with room to spare. */
const LISTENERS_PER_SLOT = 3;
const NODE_DEFAULT_MAX_LISTENERS = 10;

export class CampaignEngine {
  private readonly campaign = new AbortController();
  private readonly now: () => number;
  private readonly notice: Notify;
  private readonly manifest: ManifestWriter;
  private readonly pause: PauseGate;
  private slots: Slot[] = [];
  private answerConfirm: ((answer: boolean) => void) | null = null;
  private stopReason: 'quit' | 'teardown' | null = null;
  private failed = 0;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.notice = noticeTo(options.dispatch, this.now);
    const target = options.settings.manifestPath;
    this.manifest = new ManifestWriter(options.manifest, {
      write: (manifest) => writeManifest(target, manifest),
      onError: (error) => this.notice('error', `could not write the manifest: ${errorMessage(error)}`),
      now: this.now,
    });
    this.pause = new PauseGate(options.dispatch, this.now, this.campaign.signal);
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
        for (const slot of this.slots) if (!command.expId || slot.running?.experiment.expId === command.expId) slot.skip();
        return;
      case 'togglePause':
        this.pause.toggle();
        return;
      case 'restartService':
        void this.restartService(command.service);
        return;
      case 'resubmitJob':
        void this.resubmitJob(command.expId);
        return;
    }
  }

  /** Runs the whole campaign; resolves to the process exit code. Never throws. */
  async run(): Promise<number> {
    const { dispatcher, dispatch, plan } = this.options;
    let started = false;
    let exitCode: number = EXIT.ok;
    const unsubscribeStates = dispatcher.onState((state) => dispatch({ type: 'service/state', at: this.now(), state }));
    const unsubscribeJobs = dispatcher.onJobs?.((job) => dispatch({ type: 'job/state', at: this.now(), job }));
    const unsubscribe = () => {
      unsubscribeStates();
      unsubscribeJobs?.();
    };
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
      const upServices = dispatcher.commands.upServices ?? plan.services;
      const services = anything && dispatcher.capabilities.keepsServicesUp ? upServices : [];
      dispatch({ type: 'campaign/starting', at: this.now(), services });
      started = true;
      // The services bind-mount these: a missing bind source would be created by Docker, as root.
      fs.mkdirSync(this.options.settings.configsDir, { recursive: true });
      fs.mkdirSync(this.options.settings.resultsDir, { recursive: true });
      if (anything) await dispatcher.prepare(this.signal);
      // A stop during prepare keeps the phase at stopping: "started" now would undo it.
      if (!this.signal.aborted) dispatch({ type: 'campaign/started', at: this.now() });
      await this.runSlots();
      exitCode = this.signal.aborted ? EXIT.interrupted : this.failed > 0 ? EXIT.someFailed : EXIT.ok;
    } catch (error) {
      exitCode = this.signal.aborted ? EXIT.interrupted : EXIT.badInput;
      if (!this.signal.aborted) this.notice('error', errorMessage(error));
    } finally {
      clearInterval(heartbeat);
      const leftRunning = started ? await this.finish() : [];
      unsubscribe();
      await this.manifest.flushed();
      dispatch({ type: 'campaign/finished', at: this.now(), exitCode, leftRunning });
    }
    return exitCode;
  }

  /**
   * The plan's experiments to run, in order, onto the slots. A slot that
   * fails (the disk, say) stops the others from taking more; they finish
   * what they run, then the first failure ends the campaign.
   */
  private async runSlots(): Promise<void> {
    const { plan, toRun, gpuSlots } = this.options;
    const queue = new PlanQueue(plan.experiments.filter((e) => toRun.has(e.expId)));
    const { settings, dispatcher, dispatch, where, env, caller } = this.options;
    const context: SlotContext = {
      plan,
      settings,
      dispatcher,
      dispatch,
      where,
      env,
      caller,
      signal: this.signal,
      now: this.now,
      manifest: this.manifest,
      results: new ResultFinder(settings.resultsDir),
      gpus: this.options.gpus ?? null,
      queue,
      campaignVisibleDevices: gpuSlots ? visibleDevicesValue(gpuSlots.flat()) : env.CUDA_VISIBLE_DEVICES,
      pause: this.pause,
      notice: this.notice,
      onFinished: (status) => {
        if (status === 'failed') this.failed += 1;
      },
    };
    const count = gpuSlots?.length || Math.max(1, Math.floor(this.options.slots ?? 1));
    this.slots = Array.from({ length: count }, (_, i) => new Slot(context, i, gpuSlots?.[i] ?? null));
    // Every slot listens to the campaign's signal (while it waits for the
    // queue, runs an attempt or holds a gap): 11 slots pass Node's default of
    // 10 and it would print a leak warning (over the TUI). The limit grows with
    // the slots, so a real leak (a listener left per attempt) is still reported.
    setMaxListeners(NODE_DEFAULT_MAX_LISTENERS + LISTENERS_PER_SLOT * count, this.campaign.signal);
    const ended = await Promise.allSettled(
      this.slots.map((slot) =>
        slot.run().catch((error: unknown) => {
          queue.halt();
          throw error;
        }),
      ),
    );
    const failure = ended.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async finish(): Promise<string[]> {
    const { dispatcher, settings, plan } = this.options;
    const keep = dispatcher.capabilities.keepsServicesUp && !settings.autoTeardown && this.stopReason !== 'teardown';
    if (keep) {
      const left = await dispatcher.leftRunning();
      const names = left?.containers.length ? left.containers : (dispatcher.commands.upServices ?? plan.services);
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
    for (const slot of this.slots) slot.stop();
    this.answerConfirm?.(false);
    this.pause.release();
    this.campaign.abort();
  }

  private waitForConfirm(): Promise<boolean> {
    return new Promise((resolve) => {
      this.answerConfirm = (answer) => {
        this.answerConfirm = null;
        resolve(answer);
      };
    });
  }

  /** `service` as the services panel names it (persistent with --gpus: one slot's own service). */
  private async restartService(service: string): Promise<void> {
    for (const slot of this.slots) slot.running?.serviceRestarting(service);
    this.notice('info', `restarting ${service}`);
    try {
      this.options.dispatch({ type: 'service/restarting', at: this.now(), service, why: 'r pressed' });
      await this.options.dispatcher.restart(service);
      this.notice('info', `${service} restarted`);
    } catch (error) {
      this.notice('error', `restart of ${service} failed: ${errorMessage(error)}`);
    }
  }

  /** Slurm: cancel a running experiment's job and submit it again (a user restart: no retry budget spent, no back-off). */
  private async resubmitJob(expId: string): Promise<void> {
    const run = this.slots.map((slot) => slot.running).find((r) => r?.experiment.expId === expId);
    const undo = run?.resubmitting();
    if (!run || !undo || !this.options.dispatcher.resubmit) {
      this.notice('info', `nothing to resubmit: ${expId} is not running`);
      return;
    }
    this.notice('info', `resubmitting ${run.experiment.config.name} (${expId})`);
    try {
      if (!(await this.options.dispatcher.resubmit(expId))) undo();
    } catch (error) {
      undo();
      this.notice('error', `resubmit of ${expId} failed: ${errorMessage(error)}`);
    }
  }

  /** Without a TTY, silence looks like a hang: say now and then that an experiment still runs. */
  private startHeartbeat(): NodeJS.Timeout | undefined {
    const every = this.options.heartbeatMs ?? 0;
    if (every <= 0) return undefined;
    return setInterval(() => {
      for (const slot of this.slots) {
        const running = slot.running;
        const lastOutputAt = running?.lastOutputAt ?? null;
        if (!running || lastOutputAt === null) continue;
        const silentMs = this.now() - lastOutputAt;
        if (silentMs < every) continue; // output is news enough; speak up only when it is silent
        const silentS = Math.round(silentMs / 1000);
        this.notice('info', `still running ${running.experiment.config.name} (${running.experiment.expId}), last output ${silentS} s ago`);
      }
    }, every).unref();
  }
}

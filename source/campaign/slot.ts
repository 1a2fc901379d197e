// One slot of the scheduler: runs one experiment at a time, taking the next
// one of the plan when it is free, with its own GPUs (--gpus), its own gaps
// between experiments and its own health_check budget. The engine runs N of these side by side and
// reaches all of them with skip, pause and quit.
import type { PlannedExperiment } from '../plan/types.js';
import type { RunSettings } from '../config/types.js';
import { cancellableSleep } from './cancellableSleep.js';
import { coolDown } from './coolDown.js';
import { residualMemory } from '../gpu/residualMemory.js';
import { visibleGpuIndices } from '../gpu/visibleDevices.js';
import type { GpuSampleHub } from './gpuMeter.js';
import { ExperimentRun, type ExperimentRunContext, type FinalStatus } from './experimentRun.js';
import type { Notify } from './notice.js';
import type { PauseGate } from './pauseGate.js';
import { ServiceHealth } from './serviceHealth.js';
import type { PlanQueue, Taken } from './planQueue.js';
import { slotWords } from './slotWords.js';
import { visibleDevicesValue, type SlotGpu } from '../domain/gpuSlots.js';

export interface SlotContext extends Omit<ExperimentRunContext, 'health' | 'slot'> {
  /** The plan's experiments not taken yet, with the cycle barrier. */
  queue: PlanQueue;
  pause: PauseGate;
  /** CUDA_VISIBLE_DEVICES of every GPU of the campaign: a cycle gap cools them all. */
  campaignVisibleDevices: string | undefined;
  notice: Notify;
  onFinished: (status: FinalStatus) => void;
}

/** A cool-down gap lasts at least this long: readings settle, and a gap of 0 does not spin. */
const COOL_DOWN_MIN_MS = 5000;

export class Slot {
  private current: ExperimentRun | null = null;
  private gapController: AbortController | null = null;
  private readonly runContext: ExperimentRunContext;

  /** `gpus`: the GPUs this slot holds with --gpus (null: whatever the caller's CUDA_VISIBLE_DEVICES says). */
  constructor(
    private readonly context: SlotContext,
    readonly index: number,
    readonly gpus: SlotGpu[] | null,
  ) {
    const { dispatcher, settings, plan, signal, notice } = context;
    const slot = slotWords(dispatcher, index, gpus);
    // What reads CUDA_VISIBLE_DEVICES (attribution, cool-down, residual memory) sees this slot's GPUs.
    const env = gpus ? { ...context.env, CUDA_VISIBLE_DEVICES: visibleDevicesValue(gpus) } : context.env;
    const services = plan.services.map(slot.serviceOf);
    const restarting = (service: string, why: string) => context.dispatch({ type: 'service/restarting', at: context.now(), service, why });
    const health = new ServiceHealth({ dispatcher, healthCheck: settings.healthCheck, services, signal, notice, restarting });
    this.runContext = { ...context, env, health, slot };
  }

  /** The slot's name for a long-lived service (persistent with --gpus: its own container). */
  serviceOf(service: string): string {
    return this.runContext.slot.serviceOf(service);
  }

  /** The experiment this slot runs now, if any (between experiments: null). */
  get running(): ExperimentRun | null {
    return this.current;
  }

  /** Skip what the slot does: the gap it waits in, else the attempt under way. */
  skip(): void {
    if (this.gapController) this.gapController.abort();
    else this.current?.interrupt('skip');
  }

  /** The campaign stops: the attempt under way and the gap end now. */
  stop(): void {
    this.current?.interrupt('quit');
    this.gapController?.abort();
  }

  async run(): Promise<void> {
    const { signal, queue } = this.context;
    let previous: PlannedExperiment | null = null;
    for (;;) {
      if (signal.aborted) return;
      const taken = await queue.take(signal);
      if (!taken) return;
      try {
        await this.runTaken(taken, previous);
      } finally {
        queue.done();
      }
      if (signal.aborted) return;
      await this.runContext.health.afterExperiment();
      previous = taken.experiment;
    }
  }

  /** Its gap (a cycle's, or this GPU's since its previous experiment of the cycle), then the experiment. */
  private async runTaken({ experiment, opensCycle }: Taken, previous: PlannedExperiment | null): Promise<void> {
    const { signal, pause, onFinished, queue, campaignVisibleDevices } = this.context;
    if (opensCycle) {
      try {
        await this.gap('cycle', campaignVisibleDevices);
      } finally {
        queue.gapEnded();
      }
    } else if (previous && previous.cycleIndex === experiment.cycleIndex) {
      await this.gap('experiment', this.runContext.env.CUDA_VISIBLE_DEVICES);
    }
    await pause.waitWhilePaused();
    if (signal.aborted) return;
    await this.checkResidualMemory(experiment);
    if (signal.aborted) return;
    this.current = new ExperimentRun(experiment, this.runContext);
    try {
      onFinished(await this.current.run());
    } finally {
      this.current = null;
    }
  }

  private async gap(kind: 'experiment' | 'cycle', visibleDevices: string | undefined): Promise<void> {
    const { settings, dispatch, now, signal, gpus } = this.context;
    const slot = this.index;
    const seconds = kind === 'cycle' ? settings.cycleGapSeconds : settings.configGapSeconds;
    const cooling = settings.coolDown && gpus ? settings.coolDown : null;
    if ((seconds <= 0 && !cooling) || signal.aborted) return;
    const maxMs = cooling ? Math.max(COOL_DOWN_MIN_MS, (cooling.maxSeconds ?? seconds) * 1000) : seconds * 1000;
    const at = now();
    const controller = new AbortController();
    this.gapController = controller;
    const stopGap = () => controller.abort();
    signal.addEventListener('abort', stopGap, { once: true });
    dispatch({ type: 'gap/started', at, kind, endsAt: at + maxMs, slot });
    if (cooling && gpus) await this.coolDown(gpus, cooling, maxMs, controller.signal, visibleDevices);
    else await cancellableSleep(maxMs, controller.signal);
    signal.removeEventListener('abort', stopGap);
    this.gapController = null;
    dispatch({ type: 'gap/ended', at: now(), slot });
  }

  private async checkResidualMemory(experiment: PlannedExperiment): Promise<void> {
    const { gpus, settings } = this.context;
    const { env } = this.runContext;
    const sample = gpus?.latest() ?? null;
    if (!sample) return;
    const held = residualMemory(sample, visibleGpuIndices(env.CUDA_VISIBLE_DEVICES, sample.gpus), settings.residualMemoryMiB);
    if (held) await this.runContext.health.residualMemory(this.serviceOf(experiment.config.service), held, settings.residualMemoryMiB);
  }

  private async coolDown(
    hub: GpuSampleHub,
    target: NonNullable<RunSettings['coolDown']>,
    maxMs: number,
    signal: AbortSignal,
    visibleDevices: string | undefined,
  ): Promise<void> {
    const { dispatch, now, notice } = this.context;
    const slot = this.index;
    const started = now();
    const ended = await coolDown({
      hub,
      target,
      cudaVisibleDevices: visibleDevices,
      minMs: COOL_DOWN_MIN_MS,
      maxMs,
      signal,
      onWaiting: (waitingFor) => dispatch({ type: 'gap/cooling', at: now(), waitingFor, slot }),
    });
    const took = `${Math.round((now() - started) / 1000)} s`;
    if (ended.end === 'cool') notice('info', `cool-down: GPUs ready after ${took}`);
    if (ended.end === 'timeout') notice('warn', `cool-down: gave up after ${took}${ended.waitingFor ? `, still waiting for ${ended.waitingFor}` : ''}`);
  }
}

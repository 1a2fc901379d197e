// One slot of the scheduler: runs one experiment at a time, taking the next
// one of the plan when it is free, with its own gaps between experiments and
// its own health_check budget. The engine runs N of these side by side and
// reaches all of them with skip, pause and quit.
import type { PlannedExperiment } from '../plan/types.js';
import { cancellableSleep } from './cancellableSleep.js';
import { ExperimentRun, type ExperimentRunContext, type FinalStatus } from './experimentRun.js';
import type { Notify } from './notice.js';
import type { PauseGate } from './pauseGate.js';
import { ServiceHealth } from './serviceHealth.js';

export interface SlotContext extends Omit<ExperimentRunContext, 'health'> {
  /** The next experiment of the plan that no slot has taken; null when none is left. */
  next: () => PlannedExperiment | null;
  pause: PauseGate;
  notice: Notify;
  onFinished: (status: FinalStatus) => void;
}

export class Slot {
  private current: ExperimentRun | null = null;
  private gapController: AbortController | null = null;
  private readonly runContext: ExperimentRunContext;

  constructor(private readonly context: SlotContext) {
    const { dispatcher, settings, plan, signal, notice } = context;
    const health = new ServiceHealth({ dispatcher, healthCheck: settings.healthCheck, services: plan.services, signal, notice });
    this.runContext = { ...context, health };
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
    const { signal, next, pause, onFinished } = this.context;
    let previous: PlannedExperiment | null = null;
    for (;;) {
      if (signal.aborted) return;
      const experiment = next();
      if (!experiment) return;
      if (previous) await this.gap(previous.cycleIndex === experiment.cycleIndex ? 'experiment' : 'cycle');
      await pause.waitWhilePaused();
      if (signal.aborted) return;
      this.current = new ExperimentRun(experiment, this.runContext);
      try {
        onFinished(await this.current.run());
      } finally {
        this.current = null;
      }
      await this.runContext.health.afterExperiment();
      previous = experiment;
    }
  }

  private async gap(kind: 'experiment' | 'cycle'): Promise<void> {
    const { settings, dispatch, now, signal } = this.context;
    const seconds = kind === 'cycle' ? settings.cycleGapSeconds : settings.configGapSeconds;
    if (seconds <= 0 || signal.aborted) return;
    const at = now();
    const controller = new AbortController();
    this.gapController = controller;
    const stopGap = () => controller.abort();
    signal.addEventListener('abort', stopGap, { once: true });
    dispatch({ type: 'gap/started', at, kind, endsAt: at + seconds * 1000 });
    await cancellableSleep(seconds * 1000, controller.signal);
    signal.removeEventListener('abort', stopGap);
    this.gapController = null;
    dispatch({ type: 'gap/ended', at: now() });
  }
}

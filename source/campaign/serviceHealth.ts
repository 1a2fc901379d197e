// health_check for the long-lived services one slot uses: the GPU memory
// check every `interval_experiments`, restart_on_failure, and the
// max_restarts budget per service that both spend. A slot owns one of these,
// so its budget and its interval count are its own.
import type { RunSettings } from '../config/types.js';
import type { Dispatcher } from '../dispatch/types.js';
import type { RunOutcome } from '../domain/runRequest.js';
import { highestUsePct } from '../io/nvidia/gpuMemory.js';
import { errorMessage, type Notify } from './notice.js';

export interface ServiceHealthOptions {
  dispatcher: Dispatcher;
  healthCheck: RunSettings['healthCheck'];
  /** The services to check, in the order their notices are said. */
  services: readonly string[];
  /** The campaign's: once stopped, nothing is checked or restarted. */
  signal: AbortSignal;
  notice: Notify;
  /** A restart of ours begins (`why`: "residual memory"): the views tell its kill from a crash. */
  restarting: (service: string, why: string) => void;
}

export class ServiceHealth {
  private readonly restartsByService = new Map<string, number>();
  private experimentsSinceCheck = 0;
  private readonly gpuUnreadable = new Set<string>();

  constructor(private readonly options: ServiceHealthOptions) {}

  /**
   * After each experiment: every `interval_experiments`, a long-lived service
   * that holds more GPU memory than `gpu_memory_threshold_pct` is restarted,
   * so the next experiment does not start on memory the last one left behind.
   */
  async afterExperiment(): Promise<void> {
    const { dispatcher, healthCheck: check, services, signal, notice } = this.options;
    if (!check.enabled || check.interval_experiments <= 0 || !dispatcher.gpuMemory || signal.aborted) return;
    this.experimentsSinceCheck += 1;
    if (this.experimentsSinceCheck < check.interval_experiments) return;
    this.experimentsSinceCheck = 0;
    for (const service of services) {
      if (this.gpuUnreadable.has(service) || signal.aborted) continue;
      const gpus = await dispatcher.gpuMemory(service);
      if (!gpus) {
        this.gpuUnreadable.add(service);
        notice('info', `health check: the GPU memory of ${service} cannot be read (no nvidia-smi or no GPU there); not checked again`);
        continue;
      }
      const usedPct = highestUsePct(gpus);
      if (usedPct <= check.gpu_memory_threshold_pct) continue;
      notice('warn', `health check: ${service} holds ${usedPct.toFixed(0)} % of GPU memory (threshold ${check.gpu_memory_threshold_pct} %)`);
      await this.restartCounted(service, 'after the health check', 'health check');
    }
  }

  /**
   * restart_on_failure: a fresh service for the next attempt or experiment.
   * One restart per failed attempt: when the dispatcher already restarted the
   * service to end the run (a timed-out exec), that one counts.
   */
  async afterFailure(service: string, outcome?: RunOutcome): Promise<void> {
    const { dispatcher, healthCheck, signal } = this.options;
    if (outcome?.serviceRestarted) {
      this.countRestart(service, 'after a failure');
      return;
    }
    if (!dispatcher.capabilities.restartsServices || !healthCheck.restart_on_failure || signal.aborted) return;
    await this.restartCounted(service, 'after a failure', 'after a failure');
  }

  /**
   * Before an experiment, its GPUs hold memory a previous run did not
   * release: warn; a long-lived service (persistent mode) with
   * restart_on_failure is restarted first, which frees what it holds.
   */
  async residualMemory(service: string, held: string, thresholdMiB: number): Promise<void> {
    const { dispatcher, healthCheck, signal, notice } = this.options;
    notice('warn', `residual GPU memory before the next experiment: ${held} (more than ${thresholdMiB} MiB that a previous run did not release)`);
    const canFree = dispatcher.capabilities.keepsServicesUp && dispatcher.capabilities.restartsServices && healthCheck.restart_on_failure;
    if (canFree && !signal.aborted) await this.restartCounted(service, 'to free residual GPU memory', 'residual memory');
  }

  /** A restart the campaign decides on, within max_restarts per service; `short`: why, as the services panel says it. */
  private async restartCounted(service: string, why: string, short: string): Promise<void> {
    const { dispatcher, healthCheck, notice, restarting } = this.options;
    const used = this.restartsByService.get(service) ?? 0;
    if (used >= healthCheck.max_restarts) {
      notice('warn', `${service}: max_restarts (${healthCheck.max_restarts}) reached, not restarting`);
      return;
    }
    this.restartsByService.set(service, used + 1);
    try {
      restarting(service, short);
      await dispatcher.restart(service);
      notice('info', `${service} restarted ${why} (${used + 1}/${healthCheck.max_restarts})`);
    } catch (error) {
      notice('error', `restart of ${service} failed: ${errorMessage(error)}`);
    }
  }

  /** A restart that already happened still spends the budget (it is said, not refused). */
  private countRestart(service: string, why: string): void {
    const used = (this.restartsByService.get(service) ?? 0) + 1;
    this.restartsByService.set(service, used);
    this.options.notice('info', `${service} restarted ${why} (${used}/${this.options.healthCheck.max_restarts})`);
  }
}

// The one state every view reads (Ink TUI, plain and NDJSON reporters).
// Changed only by campaignReducer; time arrives in actions (`at`, epoch ms).
import type { Where } from '../domain/where.js';
import type { ServiceCommands } from '../domain/serviceCommands.js';
import type { ContainerState } from '../domain/containerState.js';
import type { ExperimentMetrics, ExperimentStatus } from '../domain/experiment.js';
import type { GpuFigures, GpuReading, GpuSample } from '../domain/gpu.js';
import type { LogRing } from './logRing.js';
import type { SlurmJob, SlurmScheduler } from '../domain/slurmJob.js';
import type { OurRestart } from './ourRestarts.js';

export interface ExperimentView {
  expId: string;
  index: number;
  cycleIndex: number; // 0-based
  configName: string;
  backend: string;
  service: string;
  status: ExperimentStatus;
  attempt: number; // 1 on first run
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  exitCode: number | null;
  /** Why it failed or was skipped, readable. */
  reason: string | null;
  metrics: ExperimentMetrics | null;
  /** Its GPU figures measured on the host (telemetry on, samples seen); null otherwise. */
  gpu?: GpuFigures | null;
  /** Last time it printed a line (for "last output 42 s ago"). */
  lastOutputAt: number | null;
  stuck: boolean;
  /** Last lines of output kept with a failed experiment (<= 100). */
  failureTail: string[];
  /** While pending after `experiment/retrying`: when the next attempt may start. */
  retryAt?: number | null;
  /** The GPUs (labels, "0" or a UUID as given) of its latest attempt, with --gpus; null/absent without. */
  gpus?: string[] | null;
  /**
   * The service its latest attempt runs in, as the dispatcher names it (persistent
   * with --gpus: its slot's own, "pytorch-gpu1"); absent: `service`, the plan's.
   */
  runsOn?: string;
}

export interface GapView {
  kind: 'experiment' | 'cycle';
  startedAt: number;
  /** The latest it ends (a cool-down may end it sooner). */
  endsAt: number;
  /** Cool-down by temperature: what it still waits for ("GPU 0: 67 °C → 45 °C"); null when none is pending. */
  coolingFor?: string | null;
}

export interface Notice {
  at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export type CampaignPhase =
  | 'confirm' // waiting for the persistent-mode confirmation
  | 'starting' // preflight, `up -d`
  | 'running'
  | 'paused' // paused after the current experiment
  | 'stopping' // quit requested: cancelling, tearing down
  | 'finished';

export interface CampaignMeta {
  campaignName: string;
  campaignId: string;
  strategy: 'ephemeral' | 'persistent';
  dispatch: Where;
  /** Why this dispatch was chosen, e.g. "Docker: 2 backends" or "no Docker engine answers". */
  dispatchReason: string;
  composeProject: string | null;
  /** The compose file(s) and where they were found: "docker-compose.yml (current directory)". */
  composeFile?: string | null;
  cycles: number;
  structure: string;
  resultsDir: string;
  manifestPath: string;
  logDir: string;
  autoTeardown: boolean;
  /** The compose commands the dispatcher runs (up, down) and the one to stop what it leaves running. */
  commands?: ServiceCommands;
  /** Pauses between experiments and between cycles, when known: the ETA counts the ones still ahead. */
  configGapSeconds?: number;
  cycleGapSeconds?: number;
  /** --gpus: the GPUs (labels) the campaign runs on; null/absent: one experiment at a time, GPUs as the caller set them. */
  gpus?: string[] | null;
  /** Experiments run at once (one per GPU slot): the ETA divides the work left by it. Absent: 1. */
  slots?: number;
  /** --dispatch slurm: every experiment is a Slurm job (the jobs panel replaces the services panel). Absent/null: no scheduler. */
  scheduler?: SlurmScheduler | null;
}

/** One GPU as the panel shows it: the latest reading and the power of the last minute. */
export interface GpuView extends GpuReading {
  /** Power (W) of the last GPU_HISTORY samples, oldest first; null where not reported. */
  powerHistory: (number | null)[];
}

export interface GpuTelemetryState {
  /** off: not asked for; starting: sampler started, no sample yet; unavailable: no nvidia-smi or it failed. */
  status: 'off' | 'starting' | 'running' | 'unavailable';
  /** Why unavailable ("nvidia-smi not found"). */
  reason: string | null;
  gpus: GpuView[];
  lastSampleAt: number | null;
  /** A reading older than this is no longer live (gpuStaleAfterMs of the interval); null: not known yet. */
  staleAfterMs: number | null;
}

/** A yes/no question asked before the campaign starts (resume it? run the failed ones again?). */
export interface Question {
  /** The question without the answers: "An earlier run of this campaign exists (3/8 completed). Resume it?" */
  text: string;
  /** What Enter answers: shown as [Y/n] when true, [y/N] when false. */
  defaultYes: boolean;
}

export interface CampaignState {
  meta: CampaignMeta | null;
  /** The question waiting for an answer; the TUI shows it over every other screen. null: none. */
  question: Question | null;
  phase: CampaignPhase;
  startedAt: number | null;
  finishedAt: number | null;
  now: number; // last time seen in an action
  services: Record<string, ContainerState>;
  serviceOrder: string[];
  /** Restarts lem-tui made itself, by service: whether a service's last exit was ours, and why. */
  ourRestarts: Record<string, OurRestart>;
  experiments: ExperimentView[]; // in execution order
  /**
   * The followed experiment: the latest started one. When it ends while others
   * still run (--gpus), the latest started of those; when it ends alone, null
   * (a retry keeps it, as one slot always did).
   */
  currentExpId: string | null;
  /** Bounded ring of the followed experiment's output (ANSI stripped): `logs[log.expId]` while that is kept. */
  log: LogRing;
  /** The experiments running now, in start order (several at once with --gpus). */
  running: string[];
  /**
   * Output rings by expId: every running experiment's, and the one that ended
   * last (finished or waiting to retry); nothing else, so memory stays at
   * (slots + 1) × LOG_RING_SIZE lines.
   */
  logs: Record<string, LogRing>;
  /** The gap of the lowest slot in a gap (one slot: the gap); null when no slot waits. */
  gap: GapView | null;
  /** Gaps by slot (0-based): with --gpus several slots may wait while others run. */
  gaps: Record<number, GapView>;
  pauseRequested: boolean;
  notices: Notice[]; // bounded (last 50)
  /** Exit code once finished: 0 all completed, 1 some failed, 2 environment, 130 interrupted. */
  exitCode: number | null;
  /** Services left running because auto_teardown is off. */
  leftRunning: string[];
  gpuTelemetry: GpuTelemetryState;
  /** The latest reason given by `campaign/stopping` ("quit requested", "tearing down"). */
  stopReason?: string | null;
  /** --dispatch slurm: the campaign's jobs by job id as Slurm last reported them. */
  jobs: Record<string, SlurmJob>;
  /** Job ids in submission order (the jobs panel's rows). */
  jobOrder: string[];
}

export type Action =
  | { type: 'campaign/planned'; at: number; meta: CampaignMeta; experiments: ExperimentView[]; services: string[] }
  | { type: 'campaign/confirmRequired'; at: number }
  /** `services`: the long-lived services being started now (persistent, with something to run); often none. */
  | { type: 'campaign/starting'; at: number; services: string[] }
  | { type: 'campaign/started'; at: number }
  | { type: 'campaign/pauseRequested'; at: number; paused: boolean }
  | { type: 'campaign/paused'; at: number }
  | { type: 'campaign/resumed'; at: number }
  | { type: 'campaign/stopping'; at: number; reason: string }
  | { type: 'campaign/finished'; at: number; exitCode: number; leftRunning: string[] }
  | { type: 'service/state'; at: number; state: ContainerState }
  /** lem-tui restarts `service` itself now (`why`: "residual memory", "r pressed"): its next exit is not a crash. */
  | { type: 'service/restarting'; at: number; service: string; why: string }
  /** A Slurm job of the campaign as Slurm now reports it (a new job, or a change of state, node, GPUs, time). */
  | { type: 'job/state'; at: number; job: SlurmJob }
  /**
   * `gpus`: the slot's GPU labels with --gpus; `slot`: which slot runs it (0-based);
   * `service`: the service it runs in as the slot names it ("pytorch-gpu1"; absent: the plan's).
   */
  | { type: 'experiment/started'; at: number; expId: string; attempt: number; gpus?: string[] | null; slot?: number; service?: string }
  /** `dropped`: lines the sender already left out of this batch (counted in log.dropped). */
  | { type: 'experiment/output'; at: number; expId: string; lines: string[]; dropped?: number }
  | { type: 'experiment/stuck'; at: number; expId: string; silentForMs: number }
  | {
      type: 'experiment/finished';
      at: number;
      expId: string;
      status: 'completed' | 'failed' | 'skipped' | 'interrupted';
      exitCode: number | null;
      reason: string | null;
      durationMs: number;
      metrics: ExperimentMetrics | null;
      /** Host-measured GPU figures of its run, when telemetry ran. */
      gpu?: GpuFigures | null;
    }
  | { type: 'experiment/retrying'; at: number; expId: string; nextAttempt: number; reason: string; delayMs: number }
  /** Gaps are per slot (`slot`, 0-based, absent = 0): with --gpus several may run at once. */
  | { type: 'gap/started'; at: number; kind: 'experiment' | 'cycle'; endsAt: number; slot?: number }
  | { type: 'gap/ended'; at: number; slot?: number }
  /** A cool-down gap's latest reading: what it still waits for (null: cool, the minimum wait runs out). */
  | { type: 'gap/cooling'; at: number; waitingFor: string | null; slot?: number }
  /** A question the user must answer before anything starts (may come before `campaign/planned`). */
  | { type: 'question/asked'; at: number; text: string; defaultYes: boolean }
  /** Its answer has been taken (by the `answer` command): the question is gone. */
  | { type: 'question/answered'; at: number }
  | { type: 'gpu/status'; at: number; status: GpuTelemetryState['status']; reason: string | null; staleAfterMs?: number }
  | { type: 'gpu/sample'; at: number; sample: GpuSample }
  | { type: 'notice'; at: number; level: Notice['level']; message: string }
  | { type: 'tick'; at: number };

/** What views may ask of the engine. Views never start processes themselves. */
export type Command =
  | { type: 'restartService'; service: string }
  /** Slurm: cancel the experiment's job and submit it again (counted as a retry). */
  | { type: 'resubmitJob'; expId: string }
  | { type: 'teardown' }
  /** Skip an experiment that runs (or the gap before it); no expId: every slot's. */
  | { type: 'skipCurrent'; expId?: string }
  | { type: 'togglePause' }
  | { type: 'quit'; force: boolean }
  | { type: 'confirm'; answer: boolean }
  /** The answer to `state.question` (y, n, or Enter for its default). */
  | { type: 'answer'; answer: boolean };

export const LOG_RING_SIZE = 500;
export const NOTICE_LIMIT = 50;
export const FAILURE_TAIL = 100;
/** Samples of power history kept per GPU: a minute at the default 500 ms interval. */
export const GPU_HISTORY = 120;

// An experiment's status, its measured figures, and the one way to name it
// in a line ("0003 vllm_fp16 (cycle 1)").

/**
 * `skipped`: by the user (s); `interrupted`: ended by a stop of the campaign
 * (q, a signal), not by itself: it runs again on --resume (the manifest keeps
 * it pending, so no manifest says interrupted).
 */
export type ExperimentStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'interrupted';

/** What lem-tui shows of an aggregated result. null = not measured ("n/a", never 0). */
export interface ExperimentMetrics {
  resultPath: string;
  energyJ: number | null;
  totalTokens: number | null;
  inferenceTimeSec: number | null;
  tokensPerSecond: number | null;
  joulesPerToken: number | null;
  /**
   * total_tokens / total_energy_j (0 when energy is 0), null when either is
   * missing. When energy tracking failed, energyJ, joulesPerToken and this are
   * null: the 0 J such a result holds is no measurement.
   */
  tokensPerJoule: number | null;
  energyTrackingFailed: boolean;
  gpuName: string | null;
  /** environment(_snapshot).hardware.gpu.vram_total_mb, null when absent. */
  gpuVramTotalMb?: number | null;
}

export interface LabelledExperiment {
  expId: string;
  configName: string;
  cycleIndex: number; // 0-based
}

/** "0003 vllm_fp16 (cycle 1)": how a line names one experiment. */
export function experimentLabel(e: LabelledExperiment): string {
  return `${e.expId} ${e.configName} (cycle ${e.cycleIndex + 1})`;
}

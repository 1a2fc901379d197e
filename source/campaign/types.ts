// Manifest and result shapes (see LEM-FORMATS.md, "Manifest" and "Results").

export type ExperimentStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface ManifestEntry {
  exp_id: string;
  config_name: string;
  config_path: string | null;
  config_hash: string;
  backend: string;
  container: string;
  cycle_index: number; // 0-based
  status: ExperimentStatus;
  result_path: string | null;
  started_at: string | null; // zoned ISO-8601 when we write it
  completed_at: string | null;
  error: string | null;
  retry_count: number;
}

export interface Manifest {
  campaign_id: string;
  campaign_name: string;
  created_at: string;
  updated_at: string;
  config_hash: string; // hash of the campaign file
  total_experiments: number;
  /** lem-tui extension: the compose project name, so a later run can sweep it. */
  compose_project?: string;
  experiments: ManifestEntry[];
}

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

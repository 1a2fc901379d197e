// Manifest and result shapes (see LEM-FORMATS.md, "Manifest" and "Results").

import type { ExperimentStatus } from '../domain/experiment.js';
import type { ManifestGpu } from './manifestGpu.js';

export type { ExperimentMetrics, ExperimentStatus } from '../domain/experiment.js';

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
  /**
   * lem-tui extension: when its last attempt started, once it was retried
   * (the first attempt's is started_at). A resume after a SIGKILL keeps a
   * result newer than this (resumeAdopt.ts), never an earlier attempt's.
   */
  attempt_started_at?: string | null;
  /** lem-tui extension: GPU figures measured on the host (telemetry on). */
  gpu?: ManifestGpu | null;
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


import type { Backend, Structure } from '../config/types.js';

/** One named experiment config, expanded from configs / experiments / grid. */
export interface ConfigSpec {
  name: string;
  backend: Backend;
  /** Compose service that runs it: the service of the backend's name. */
  service: string;
  /** Source config file (absolute), or null for a config built purely from a grid. */
  sourcePath: string | null;
  /** The effective experiment config written for the harness (without `_metadata`). */
  config: Record<string, unknown>;
  /** Short MD5 (12 hex) of the canonical JSON of `config`. */
  configHash: string;
  model: string | null;
}

export interface PlannedExperiment {
  /** 4-digit counter in execution order, 1-based: "0001". Wider when > 9999. */
  expId: string;
  /** 0-based position in execution order. */
  index: number;
  /** 0-based cycle; shown 1-based. */
  cycleIndex: number;
  config: ConfigSpec;
}

export interface Plan {
  campaignId: string; // 8 hex
  campaignName: string;
  cycles: number;
  structure: Structure;
  seed: number;
  configs: ConfigSpec[];
  experiments: PlannedExperiment[];
  /** Services the campaign needs, in order of first use. */
  services: string[];
  warnings: string[];
}

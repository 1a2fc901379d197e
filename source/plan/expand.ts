import { BACKENDS, type Backend, type CampaignFile, type ExperimentConfigFile, type GridSpec } from '../config/types.js';
import { configHash } from './campaignId.js';
import { setDotted } from './dottedKey.js';
import { findConfigFile } from './findConfigFile.js';
import { nameSegment, UniqueNames } from './naming.js';
import type { ConfigSpec } from './types.js';

export interface ExpandedConfigs {
  configs: ConfigSpec[];
  warnings: string[];
}

/** A config before its name is made unique and its hash taken. */
interface Draft {
  name: string;
  backend: Backend;
  sourcePath: string | null;
  config: Record<string, unknown>;
}

/**
 * Expands a campaign's three sources, in this order: `configs` (each file as
 * is), `experiments` (a file with `overrides`), `grid` (backends × models ×
 * axes). Precedence inside one config, lowest first: the file, the campaign's
 * `model`, then the entry's overrides or the grid's models and axes.
 * `configFiles` holds the loaded file of every reference (see findConfigFile).
 * Nothing passed in is modified.
 */
export function expandConfigs(campaign: CampaignFile, configFiles: readonly ExperimentConfigFile[]): ExpandedConfigs {
  const warnings: string[] = [];
  const drafts: Draft[] = [];

  for (const ref of campaign.configs) {
    drafts.push(fromFile(campaign, findConfigFile(ref, configFiles), {}));
  }
  for (const entry of campaign.experiments) {
    drafts.push(fromFile(campaign, findConfigFile(entry.config, configFiles), entry.overrides));
  }
  if (campaign.grid) drafts.push(...fromGrid(campaign, campaign.grid, warnings));

  const names = new UniqueNames(warnings);
  const configs = drafts.map((draft): ConfigSpec => ({
    name: names.claim(draft.name),
    backend: draft.backend,
    service: draft.backend,
    sourcePath: draft.sourcePath,
    config: draft.config,
    configHash: configHash(draft.config),
    model: modelOf(draft.config),
  }));
  return { configs, warnings };
}

function fromFile(campaign: CampaignFile, file: ExperimentConfigFile, overrides: Record<string, unknown>): Draft {
  const config = structuredClone(file.data);
  if (campaign.model !== undefined) config.model_name = campaign.model;
  const segments: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    setDotted(config, key, structuredClone(value));
    segments.push(nameSegment(key, value));
  }
  return {
    name: [file.configName, ...segments].join('_'),
    backend: backendOf(config, file.backend),
    sourcePath: file.path,
    config,
  };
}

interface Axis {
  /** Where the value goes in the config (dotted). */
  path: string;
  /** How the axis reads in a name (dotted; dots become `_`). */
  label: string;
  values: readonly unknown[];
}

function fromGrid(campaign: CampaignFile, grid: GridSpec, warnings: string[]): Draft[] {
  for (const backend of Object.keys(grid.backend_overrides)) {
    if (!grid.backends.includes(backend as Backend)) {
      warnings.push(`grid.backend_overrides.${backend}: ${backend} is not in grid.backends; ignored`);
    }
  }
  const drafts: Draft[] = [];
  for (const backend of grid.backends) {
    const axes = gridAxes(grid, backend);
    const empty = axes.filter((axis) => axis.values.length === 0);
    if (empty.length > 0) {
      warnings.push(`grid: axis ${empty.map((a) => `"${a.label}"`).join(', ')} has no values, so ${backend} gives no configs`);
      continue;
    }
    for (const combo of cartesian(axes.map((axis) => axis.values))) {
      const config: Record<string, unknown> = { backend };
      if (campaign.model !== undefined) config.model_name = campaign.model;
      const segments: string[] = [backend];
      axes.forEach((axis, i) => {
        setDotted(config, axis.path, structuredClone(combo[i]));
        if (axis.values.length > 1) segments.push(nameSegment(axis.label, combo[i]));
      });
      config.backend = backend; // an axis cannot move a config to another backend
      drafts.push({ name: segments.join('_'), backend, sourcePath: null, config });
    }
  }
  return drafts;
}

/**
 * The axes of one backend, in name order: models, `shared`, then the backend's
 * `backend_overrides`, whose keys are relative to the backend's section
 * (`batch_size` under pytorch sets `pytorch.batch_size`), as in llenergymeasure.
 */
function gridAxes(grid: GridSpec, backend: Backend): Axis[] {
  const axes: Axis[] = [];
  if (grid.models && grid.models.length > 0) axes.push({ path: 'model_name', label: 'model', values: grid.models });
  for (const [key, values] of Object.entries(grid.shared)) axes.push({ path: key, label: key, values });
  for (const [key, values] of Object.entries(grid.backend_overrides[backend] ?? {})) {
    const label = key.startsWith(`${backend}.`) ? key.slice(backend.length + 1) : key;
    axes.push({ path: `${backend}.${label}`, label, values });
  }
  return axes;
}

/** Every combination of one value per axis; the last axis varies fastest. */
function* cartesian(axes: readonly (readonly unknown[])[]): Generator<unknown[]> {
  const at = axes.map(() => 0);
  for (;;) {
    yield at.map((i, axis) => axes[axis]![i]);
    let axis = axes.length - 1;
    while (axis >= 0 && ++at[axis]! === axes[axis]!.length) at[axis--] = 0;
    if (axis < 0) return;
  }
}

function backendOf(config: Record<string, unknown>, fallback: Backend): Backend {
  const value = config.backend;
  return BACKENDS.includes(value as Backend) ? (value as Backend) : fallback;
}

function modelOf(config: Record<string, unknown>): string | null {
  const value = config.model_name;
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

// Which entry of an earlier manifest each planned experiment continues
// (LEM-FORMATS.md, "Manifest"). First by (config_name, cycle_index); where
// several entries share that key, the one whose config_hash is the planned
// config's. Then llenergymeasure's grid entries: it names every grid config
// `<backend>-<model>`, so several configs share one name there while ours
// differ (`pytorch_fp_precision-float16`). A grid experiment with no entry of
// its own name takes, of that cycle's entries so named, the one with its
// config_hash, else the one at its position among the campaign's grid configs
// of that backend and model (both sides expand the grid in the same order).
import type { ConfigSpec, PlannedExperiment } from '../plan/types.js';
import type { ManifestEntry } from './types.js';

export interface EntryLinks {
  /** Per planned experiment (same order): the entry it continues, or null. */
  previous: (ManifestEntry | null)[];
  /** Of those, how many were linked to a `<backend>-<model>` entry by position alone. */
  byPosition: number;
}

const key = (configName: string, cycleIndex: number): string => `${cycleIndex}\u0000${configName}`;

export function linkEntries(entries: readonly ManifestEntry[], experiments: readonly PlannedExperiment[], configs: readonly ConfigSpec[]): EntryLinks {
  const byKey = new Map<string, ManifestEntry[]>();
  for (const entry of entries) {
    const k = key(entry.config_name, entry.cycle_index);
    byKey.set(k, [...(byKey.get(k) ?? []), entry]);
  }
  const claimed = new Set<ManifestEntry>();
  const claim = (entry: ManifestEntry | undefined): ManifestEntry | null => {
    if (!entry) return null;
    claimed.add(entry);
    return entry;
  };

  // Pass 1, by own name, for every experiment first: an entry that carries a
  // planned config's own name is never taken by a grid config's position.
  const previous = experiments.map((experiment) => {
    const own = (byKey.get(key(experiment.config.name, experiment.cycleIndex)) ?? []).filter((e) => !claimed.has(e));
    return claim(own.find((e) => e.config_hash === experiment.config.configHash) ?? own[0]);
  });

  // Pass 2, llenergymeasure's grid names, for grid experiments still unlinked.
  const grid = gridPositions(configs);
  const named = new Map<string, ManifestEntry[]>(); // its grid entries of one name and cycle, left after pass 1
  let byPosition = 0;
  experiments.forEach((experiment, i) => {
    const place = grid.get(experiment.config);
    if (previous[i] || !place) return;
    const k = key(place.name, experiment.cycleIndex);
    if (!named.has(k)) {
      const left = new Set(place.names.flatMap((name) => byKey.get(key(name, experiment.cycleIndex)) ?? []).filter((e) => !claimed.has(e)));
      named.set(k, entries.filter((e) => left.has(e))); // manifest order, which is theirs
    }
    const candidates = named.get(k)!;
    const sameHash = candidates.find((e) => !claimed.has(e) && e.config_hash === experiment.config.configHash);
    if (sameHash) {
      previous[i] = claim(sameHash);
      return;
    }
    const atPosition = candidates[place.position];
    if (atPosition && !claimed.has(atPosition)) {
      previous[i] = claim(atPosition);
      byPosition += 1;
    }
  });
  return { previous, byPosition };
}

interface GridPlace {
  /** One name per (backend, model): `pytorch-Qwen/Qwen2.5-0.5B`. */
  name: string;
  /** The names llenergymeasure may have used: with the whole model id and with its last part (`pytorch-Qwen2.5-0.5B`). */
  names: string[];
  /** 0-based, among the grid configs of that backend and model, in expansion order. */
  position: number;
}

/** The grid configs (those with no source file) of a campaign, with their llenergymeasure names and positions. */
function gridPositions(configs: readonly ConfigSpec[]): Map<ConfigSpec, GridPlace> {
  const places = new Map<ConfigSpec, GridPlace>();
  const counts = new Map<string, number>();
  for (const config of configs) {
    if (config.sourcePath !== null || config.model === null) continue;
    const name = `${config.backend}-${config.model}`;
    const position = counts.get(name) ?? 0;
    counts.set(name, position + 1);
    const short = `${config.backend}-${config.model.split('/').pop()!}`;
    places.set(config, { name, names: short === name ? [name] : [name, short], position });
  }
  return places;
}

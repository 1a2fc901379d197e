// The bind mounts of each service, read from `compose config` (which resolves
// variables such as ${LLM_ENERGY_CONFIGS_DIR:-./configs} and makes relative
// sources absolute against the compose file's folder). v2 prints the long
// form ({type: bind, source, target}); v1 prints the short form
// ("/abs/src:/target:ro"). Named volumes are not bind mounts and are left out.

export interface BindMount {
  /** Absolute host path. */
  source: string;
  /** Path inside the container, without a trailing slash. */
  target: string;
  readOnly: boolean;
}

/** The bind mounts of one service definition of `compose config`'s output. */
export function bindMountsOf(definition: unknown): BindMount[] {
  const volumes = (definition as { volumes?: unknown } | null)?.volumes;
  if (!Array.isArray(volumes)) return [];
  const mounts: BindMount[] = [];
  for (const volume of volumes) {
    const mount = typeof volume === 'string' ? fromShortForm(volume) : fromLongForm(volume);
    if (mount) mounts.push(mount);
  }
  return mounts;
}

/** The host folder bind-mounted at `target`, or null. */
export function hostPathOf(mounts: readonly BindMount[], target: string): string | null {
  const wanted = trimSlash(target);
  return mounts.find((mount) => mount.target === wanted)?.source ?? null;
}

function fromLongForm(volume: unknown): BindMount | null {
  if (!volume || typeof volume !== 'object') return null;
  const v = volume as { type?: unknown; source?: unknown; target?: unknown; read_only?: unknown };
  if (v.type !== 'bind' || typeof v.source !== 'string' || typeof v.target !== 'string') return null;
  return { source: v.source, target: trimSlash(v.target), readOnly: v.read_only === true };
}

function fromShortForm(volume: string): BindMount | null {
  const parts = volume.split(':');
  if (parts.length < 2) return null;
  const [source, target, mode] = parts as [string, string, string | undefined];
  // Only absolute (or home-relative, never printed by compose) sources are bind mounts.
  if (!source.startsWith('/')) return null;
  return { source, target: trimSlash(target), readOnly: (mode ?? '').split(',').includes('ro') };
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

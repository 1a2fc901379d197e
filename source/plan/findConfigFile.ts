import type { ExperimentConfigFile } from '../config/types.js';

/**
 * The loaded file for a config reference written in the campaign
 * (`configs/pytorch_base.yaml`). The loader resolves references to absolute
 * paths; a file matches when its path is the reference or ends with it (after
 * dropping leading `./` and `../`). When several match, one found next to the
 * campaign file wins (the loader's own precedence), then the shortest path
 * (`a.yaml` is `<dir>/a.yaml`, not `<dir>/other/a.yaml`).
 */
export function findConfigFile(ref: string, files: readonly ExperimentConfigFile[]): ExperimentConfigFile {
  const wanted = slashes(ref);
  const suffix = '/' + wanted.replace(/^(\.\.?\/)+/, '');
  const matches = files.filter((file) => {
    const path = slashes(file.path);
    return path === wanted || (!wanted.startsWith('/') && path.endsWith(suffix));
  });
  const rank = (file: ExperimentConfigFile) => (file.resolvedFrom === 'campaign-dir' ? 0 : 1);
  const match = matches.sort((a, b) => rank(a) - rank(b) || a.path.length - b.path.length)[0];
  if (!match) throw new Error(`experiment config "${ref}" was not loaded`);
  return match;
}

function slashes(path: string): string {
  return path.replaceAll('\\', '/').replace(/\/{2,}/g, '/');
}

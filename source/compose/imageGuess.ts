// The services' images as the compose files spell them, read before compose
// has resolved them: the image check starts on this guess beside `compose
// config` instead of after it. Only a guess: preflight uses it only when
// config resolves the same images, and asks again otherwise.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/**
 * The images of `services` in these parsed compose documents (a later file
 * overrides an earlier one, as in compose), or null when any service has none
 * that can be read literally: no `image:`, an interpolated one (`${TAG}`), or
 * one that `extends` another service.
 */
export function guessImages(docs: readonly unknown[], services: readonly string[]): string[] | null {
  const images = new Set<string>();
  for (const service of services) {
    let image: string | null = null;
    for (const doc of docs) {
      const def = serviceOf(doc, service);
      if (!def) continue;
      if (def.extends !== undefined) return null;
      if (def.image !== undefined) image = typeof def.image === 'string' && def.image && !def.image.includes('$') ? def.image : null;
    }
    if (!image) return null;
    images.add(image);
  }
  return [...images];
}

function serviceOf(doc: unknown, service: string): Record<string, unknown> | null {
  const services = (doc as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object' || !Object.hasOwn(services, service)) return null;
  const def: unknown = (services as Record<string, unknown>)[service];
  return def && typeof def === 'object' ? (def as Record<string, unknown>) : null;
}

/** guessImages over the files themselves; null when one cannot be read or parsed (preflight then says why, with compose's words). */
export async function guessImagesOf(files: readonly string[], services: readonly string[]): Promise<string[] | null> {
  try {
    const docs = await Promise.all(files.map(async (f) => parse(await readFile(f, 'utf8'), { merge: true }) as unknown));
    return guessImages(docs, services);
  } catch {
    return null;
  }
}

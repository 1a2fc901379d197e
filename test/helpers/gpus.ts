// The stand-in nvidia-smi for tests that run with --gpus: first on PATH,
// with a state file of `count` GPUs (fixtures/gpu/README.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { parseNdjson, readManifest, ROOT, type Campaign } from './cli.js';

export const STAND_IN_BIN = path.join(ROOT, 'fixtures/gpu/bin');
/** PATH without any real nvidia-smi (a GPU machine has one in /usr/bin). */
export const PATH_WITHOUT_SMI = (process.env.PATH ?? '')
  .split(':')
  .filter((dir) => dir && !fs.existsSync(path.join(dir, 'nvidia-smi')))
  .join(':');

/** The environment of a CLI that sees `count` stand-in GPUs (H200s, indices 0..count-1). */
export function standInGpus(count: number): Record<string, string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lem-gpus-')), 'state.json');
  fs.writeFileSync(file, JSON.stringify({ gpus: Array.from({ length: count }, (_, index) => ({ index, name: 'NVIDIA H200' })) }));
  return { PATH: `${STAND_IN_BIN}:${PATH_WITHOUT_SMI}`, LEM_FAKE_GPU_STATE: file };
}

/** The UUID the stand-in gives GPU `index` (its default). */
export function standInUuid(index: number): string {
  return `GPU-5f2a9c1e-7b3d-4e8f-9a6b-0c1d2e3f4a5${index}`;
}

/**
 * A two-slot campaign where one slot's container was killed: exactly one
 * experiment was retried (what was killed), and the other ran once, never
 * interrupted. Returns the NDJSON events and the killed experiment's id.
 */
export function expectOneSlotRetried(c: Campaign, stdout: string): { events: ReturnType<typeof parseNdjson>; killedId: string } {
  const events = parseNdjson(stdout);
  const retried = events.filter((e) => e.type === 'experiment.retrying');
  expect(retried).toHaveLength(1);
  expect(retried[0]!.reason).toMatch(/137/);
  const killedId = retried[0]!.expId as string;
  const otherId = killedId === '0001' ? '0002' : '0001';
  expect(events.filter((e) => e.type === 'experiment.started' && e.expId === otherId)).toHaveLength(1);
  expect(readManifest(c).experiments.find((e) => e.exp_id === otherId)).toMatchObject({ status: 'completed', retry_count: 0 });
  return { events, killedId };
}

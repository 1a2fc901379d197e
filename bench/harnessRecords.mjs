// What the stand-in harness itself recorded of each run (fixtures/harness/lem,
// `harness` in results/aggregated/*.json): the GPUs it was given and when it
// ran, on the kernel's uptime clock (the same on the host and in every
// container). Shared by the parallel-GPU tests and bench/parallel.mjs, so that
// "no two overlapping runs had one GPU" is checked from the harness's record,
// not from lem-tui's.
import fs from 'node:fs';
import path from 'node:path';

/** Every run's record: {file, cudaVisibleDevices, nvidiaVisibleDevices, start, end, metaId}. */
export function readHarnessRecords(resultsDir) {
  const dir = path.join(resultsDir, 'aggregated');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const doc = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      const h = doc.harness ?? {};
      return {
        file: name,
        cudaVisibleDevices: h.cuda_visible_devices ?? null,
        nvidiaVisibleDevices: h.nvidia_visible_devices ?? null,
        start: h.clock_start_s,
        end: h.clock_end_s,
        metaId: doc.effective_config?._metadata?.experiment_id ?? null,
      };
    });
}

/** Pairs of runs that overlapped in time and shared a GPU (a device of CUDA_VISIBLE_DEVICES). */
export function sharedGpuOverlaps(records) {
  const clashes = [];
  for (let i = 0; i < records.length; i += 1) {
    for (let j = i + 1; j < records.length; j += 1) {
      const a = records[i];
      const b = records[j];
      const overlap = a.start < b.end && b.start < a.end;
      const devices = (r) => new Set(String(r.cudaVisibleDevices ?? '').split(',').filter(Boolean));
      const shared = [...devices(a)].some((d) => devices(b).has(d));
      if (overlap && shared) clashes.push([a.file, b.file]);
    }
  }
  return clashes;
}

/** The most runs under way at one moment. */
export function mostAtOnce(records) {
  const edges = records.flatMap((r) => [[r.start, 1], [r.end, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (now += step));
  return most;
}

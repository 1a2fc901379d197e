// The "may import" table of source/'s rooms, as one object: which rooms each
// room's files may import. test/architecture.test.ts checks it entirely
// (every room has a row, every import between rooms is an arrow of this
// table, every arrow is used, no cycle between rooms), and that the table of
// source/README.md ("The folders") says the same.
//
// A room is a top-level folder of source/, except under io/, where each
// outside program's folder is a room of its own (io/process, later io/docker,
// io/slurm, io/nvidia, io/files). The root files (cli.tsx, runCampaign.ts, …)
// are no room: they wire the rooms and may import any; no room imports them.
//
// A row or an arrow naming a room that does not exist yet is tolerated, so
// that branches that create one (dispatch/) merge with one line of change.

export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  config: [],
  plan: ['config'],
  // Pure GPU maths over the samples (energy window, visible devices, cool-down, residual memory).
  gpu: ['domain'],
  'io/process': [],
  // nvidia-smi's argv, parsers and calls; io/nvidia/smiList.ts resolves the
  // user's --gpus (config's GpuSpec) against nvidia-smi -L.
  'io/nvidia': ['io/process', 'config', 'domain'],
  // Everything that talks to Slurm: the srun argv and job names (from the
  // campaign's Slurm settings), the squeue/scontrol/sacct parsers (pure) and
  // the calls; io/slurm/slurmRequestCheck.ts names where each part of the
  // request was set (config/settingPlaces.ts).
  'io/slurm': ['io/process', 'config', 'domain'],
  // Docker's and compose's room (issue 26 names it io/docker). It runs
  // nvidia-smi's memory query (io/nvidia/gpuMemory.ts) inside a service with
  // `compose exec`.
  compose: ['io/process', 'io/nvidia', 'config', 'domain'],
  // The Dispatcher contract's set-up shared by the run and the dry run (issue 26).
  dispatch: ['compose', 'io/process', 'io/nvidia', 'io/slurm', 'config', 'plan', 'domain'],
  campaign: ['dispatch', 'compose', 'io/nvidia', 'config', 'plan', 'gpu', 'state', 'domain'],
  // state/stats.ts draws its bootstrap from plan/random.ts's seeded generator.
  state: ['plan', 'domain'],
  ui: ['state', 'domain'],
  // report/dryRun.ts prints the plan and the settings.
  report: ['state', 'config', 'plan', 'domain'],
  // output/isInteractive.ts reads the flags that say whether anyone can be asked.
  output: ['ui', 'report', 'state', 'lifecycle', 'config'],
  // The quitter stops the dispatcher and sweeps the project on a forced quit.
  lifecycle: ['dispatch', 'compose', 'state', 'domain'],
};

/**
 * Import cycles between rooms that exist today and cannot be removed cheaply,
 * as "a → b" for the arrow that closes each; any other cycle fails the test.
 */
export const KNOWN_ROOM_CYCLES: readonly string[] = [];

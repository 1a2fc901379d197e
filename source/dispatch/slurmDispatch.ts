// --dispatch slurm: every experiment a Slurm job. container: none runs the
// harness on the node with host paths (Where = local); container: compose
// runs `compose run --rm` there with the services' mounts (Where = docker).
// Slurm's own checks (io/slurm/slurmPreflight.ts) replace the Docker preflight: the
// engine that matters is on the nodes, not necessarily here.
import type { RunSettings } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import type { ResolvedDispatch } from './resolveDispatch.js';
import { containerDirs, describedTarget } from '../compose/composeSide.js';
import { composeProjectName } from '../compose/projectName.js';
import { createSlurmDispatcher } from './slurmDispatcher.js';
import { slurmPreflight } from '../io/slurm/slurmPreflight.js';
import { slurmJobName } from '../io/slurm/jobName.js';
import { EnvironmentError } from '../domain/environmentError.js';
import fs from 'node:fs';

export async function slurmDispatch(
  plan: Plan,
  settings: RunSettings,
  { strategyLabel, forDryRun, fromFlag }: { strategyLabel: string; forDryRun: boolean; fromFlag: boolean },
): Promise<ResolvedDispatch> {
  const { slurm } = settings;
  const notes: string[] = [];
  const infos: string[] = [];
  const project = composeProjectName(plan.campaignId, settings.stateDir);
  const compose = slurm.container === 'compose';
  if (compose && settings.composeFiles.length === 0 && !forDryRun) {
    throw new EnvironmentError(`runner.slurm.container is compose, and there is no compose file: ${settings.composeFileReason}`, 'run from the folder that holds the compose file, or name it with --compose-file');
  }
  const composeFileExists = settings.composeFiles.length > 0 && settings.composeFiles.every((f) => fs.existsSync(f));
  const side = compose ? await describedTarget(settings, project, plan.services, composeFileExists, notes) : null;
  const dirs = side ? containerDirs(settings, plan.services, side.mounts, { notes, infos }, forDryRun) : null;
  if (!forDryRun) {
    const folders = [...new Set([settings.campaignDir, dirs?.resultsDir ?? settings.resultsDir, settings.stateDir])];
    notes.push(...(await slurmPreflight({ slurm, places: settings.places, jobName: slurmJobName(project, 'preflight') }, folders)).notes);
  }
  const where = compose ? 'docker' : 'local';
  const what = [slurm.partition ? `partition ${slurm.partition}` : 'the default partition', slurm.gres ? `--gres=${slurm.gres}` : 'no --gres', `up to ${slurm.maxJobs} job${slurm.maxJobs === 1 ? '' : 's'} at once`];
  const reason = `${fromFlag ? '--dispatch slurm' : 'dispatch: slurm in the settings'}; ${what.join(', ')}`;
  return {
    where,
    strategy: settings.containerStrategy,
    strategyLabel: compose ? 'ephemeral (compose run --rm in each job)' : `${strategyLabel}, not used: the harness runs on the node`,
    label: `slurm, ${compose ? 'compose run --rm on the node' : 'the harness on the node'} (${reason})`,
    reason,
    project,
    dirs,
    composeFileLabel: null,
    dispatcher: createSlurmDispatcher({
      slurm,
      project,
      target: side?.target ?? null,
      // scancel's SIGTERM, then the cluster's KillWait (often 30 s) before its SIGKILL.
      killGraceMs: (settings.stopGraceSeconds + 35) * 1000,
      stopGraceSeconds: settings.stopGraceSeconds,
    }),
    before: [],
    after: [],
    notes,
    infos,
  };
}

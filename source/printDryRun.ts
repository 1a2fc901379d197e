// --dry-run: what a real run would do (dispatch, commands, every
// experiment's exact argv), without starting anything or needing an engine.
import type { CliFlags } from './config/types.js';
import { EXIT } from './domain/exitCodes.js';
import type { PreparedCampaign } from './prepareCampaign.js';
import { buildDispatchRequest, callerIdentity } from './campaign/dispatchRequest.js';
import { setUpDispatch } from './dispatch/setUp.js';
import { formatDryRun } from './report/dryRun.js';
import { gpuSlotsLine } from './dispatch/campaignGpus.js';
import type { PlannedExperiment } from './plan/types.js';

export async function printDryRun(prepared: PreparedCampaign, flags: CliFlags, cwd: string): Promise<number> {
  const { plan } = prepared;
  // The run's own set-up: what it refuses, this refuses with the same words (dispatch/setUp.ts).
  const { settings, dispatch, gpus } = await setUpDispatch(prepared, flags, { forDryRun: true });
  // Slots take experiments as they free up: shown as if every experiment took the same time.
  const slotOf = (experiment: PlannedExperiment) => gpus?.slots[plan.experiments.indexOf(experiment) % gpus.slots.length] ?? null;
  const lines = formatDryRun({
    plan,
    settings,
    cwd,
    dispatchLabel: dispatch.label,
    strategyLabel: dispatch.strategyLabel,
    composeFiles: dispatch.where === 'docker' ? prepared.settings.composeFiles : null,
    describe: (experiment) =>
      dispatch.dispatcher.describe(
        buildDispatchRequest(plan, experiment, settings, dispatch.where, process.env, callerIdentity(), slotOf(experiment)),
      ),
    before: dispatch.before,
    after: dispatch.after,
    configNotes: [...prepared.configNotes, ...(gpus ? [gpuSlotsLine(gpus)] : []), ...(gpus?.notes ?? []), ...dispatch.notes, ...dispatch.infos],
  });
  for (const warning of prepared.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

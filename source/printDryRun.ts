// --dry-run: what a real run would do (dispatch, commands, every
// experiment's exact argv), without starting anything or needing an engine.
import type { CliFlags } from './config/types.js';
import { EXIT } from './domain/exitCodes.js';
import type { PreparedCampaign } from './prepareCampaign.js';
import { buildDispatchRequest, callerIdentity } from './campaign/dispatchRequest.js';
import { resolveDispatch } from './compose/resolveDispatch.js';
import { formatDryRun } from './report/dryRun.js';

export async function printDryRun(prepared: PreparedCampaign, flags: CliFlags, cwd: string): Promise<number> {
  const { plan } = prepared;
  const dispatch = await resolveDispatch(prepared, flags, { forDryRun: true });
  const settings = { ...prepared.settings, ...dispatch.dirs };
  const lines = formatDryRun({
    plan,
    settings,
    cwd,
    dispatchLabel: dispatch.label,
    strategyLabel: dispatch.strategyLabel,
    composeFiles: dispatch.where === 'docker' ? prepared.settings.composeFiles : null,
    describe: (experiment) =>
      dispatch.dispatcher.describe(buildDispatchRequest(plan, experiment, settings, dispatch.where, process.env, callerIdentity())),
    before: dispatch.before,
    after: dispatch.after,
    configNotes: [...prepared.configNotes, ...dispatch.notes, ...dispatch.infos],
  });
  for (const warning of prepared.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

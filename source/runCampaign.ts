// The composition root of a real run: settings → dispatch → lock → output →
// manifest → engine, and back out in order. Each part lives in its folder;
// this file only wires them (source/README.md, "Architecture").
import type { CliFlags, RunSettings } from './config/types.js';
import type { PreparedCampaign } from './prepareCampaign.js';
import { CampaignEngine } from './campaign/engine.js';
import { campaignMeta } from './campaign/campaignMeta.js';
import { callerIdentity } from './campaign/dispatchRequest.js';
import type { CampaignGpus } from './dispatch/campaignGpus.js';
import { earlierMetrics, experimentViews } from './campaign/experimentViews.js';
import { startGpuTelemetry } from './campaign/gpuTelemetry.js';
import { notifyFinished } from './campaign/notify.js';
import { acquireRunLock } from './campaign/runLock.js';
import { takeManifest, type TakenManifest } from './campaign/takeManifest.js';
import type { ResolvedDispatch } from './dispatch/resolveDispatch.js';
import { setUpDispatch } from './dispatch/setUp.js';
import { sweepBeforeRun } from './compose/sweepBeforeRun.js';
import { cancelLeftoverJobs } from './io/slurm/slurmLeftovers.js';
import { stopLeftoverHarnesses } from './compose/localLeftovers.js';
import { showPath } from './config/errors.js';
import { EnvironmentError } from './domain/environmentError.js';
import { Quitter } from './lifecycle/quitter.js';
import { routeNodeWarnings } from './lifecycle/nodeWarnings.js';
import type { StartupGuard } from './lifecycle/startupGuard.js';
import { isInteractive } from './output/isInteractive.js';
import { attachLines } from './output/lines.js';
import { attachTui } from './output/tui.js';
import type { Output } from './output/types.js';
import { quitEpilogue } from './report/quitEpilogue.js';
import { createStore, type Store } from './state/store.js';
import { campaignReducer, initialCampaignState } from './state/reducer.js';
import type { Command } from './state/types.js';

/** A real run. `guard` holds the signals until the run's own handlers take them (lifecycle/startupGuard.ts). */
export async function runCampaign(given: PreparedCampaign, flags: CliFlags, cwd: string, guard: StartupGuard): Promise<number> {
  let stopRouting = () => {};
  try {
    const interactive = isInteractive(flags);
    // The set-up the dry run shares: the same refusals, the same slots (dispatch/setUp.ts).
    const setUp = await setUpDispatch(given, flags, { forDryRun: false, checkpoint: () => guard.check() });
    const { settings, dispatch, gpus } = setUp;
    const confirmFirst = dispatch.dispatcher.capabilities.keepsServicesUp && !flags.yes;
    if (confirmFirst && !interactive) {
      throw new EnvironmentError('persistent mode needs a confirmation, and there is no terminal to ask in', 'pass --yes to start the persistent services without asking');
    }
    const lock = await acquireRunLock(settings.stateDir);
    const store = createStore(campaignReducer, initialCampaignState());
    // From here a warning Node raises is a notice of the run, never a line over the screen.
    stopRouting = routeNodeWarnings((text) => notice(store, 'warn', text));
    const run: Run = { store, settings, dispatch, gpus, slots: setUp.slots, interactive, confirmFirst, guard, quitter: null, output: null! };
    const send = (command: Command) => run.quitter?.command(command);
    run.output = interactive ? await attachTui(store, send) : attachLines(store, send, flags.json ? 'ndjson' : 'plain');
    const stopListening = guard.listen((signal) => run.output.interrupt(signal));
    try {
      guard.check();
      const ask = run.output.ask ?? (() => Promise.reject(new Error('no terminal to ask in')));
      // Harnesses a killed local run left: stopped before the manifest is read, so a result one of them finished is found there.
      const stopped = await stopLeftoverHarnesses(settings.stateDir, { yes: flags.yes, interactive, ask, graceMs: settings.stopGraceSeconds * 1000 });
      guard.check();
      const resultsBefore = stopped.stopAskedAt ?? undefined;
      const taken = await takeManifest({ ...given, settings }, flags, { interactive, project: dispatch.project, cwd, ask, resultsBefore });
      taken.notes.push(...stopped.notes);
      guard.check();
      if (settings.dispatch === 'slurm' && dispatch.project) taken.notes.push(...(await cancelLeftoverJobs(dispatch.project, { yes: flags.yes, interactive, ask })));
      else if (dispatch.project) {
        const swept = await sweepBeforeRun(dispatch.project, taken.previousProject);
        taken.notes.push(...swept.notes);
        if (swept.listing) dispatch.dispatcher.adoptListing?.(swept.listing);
      }
      guard.check();
      return await drive(run, taken, [...given.warnings, ...dispatch.notes], [...dispatch.infos, ...setUp.infos, ...taken.notes]);
    } finally {
      stopListening();
      run.output.close();
      stopRouting();
      await lock.release();
    }
  } finally {
    stopRouting(); // again, in case the output never attached
    guard.remove();
  }
}

interface Run {
  store: Store;
  settings: RunSettings;
  dispatch: ResolvedDispatch;
  gpus: CampaignGpus | null;
  /** Experiments at once when no GPU slots set it (Slurm: its job limit); null: one, or one per GPU slot. */
  slots: number | null;
  interactive: boolean;
  confirmFirst: boolean;
  guard: StartupGuard;
  quitter: Quitter | null;
  output: Output;
}

async function drive(run: Run, taken: TakenManifest, warnings: string[], infos: string[]): Promise<number> {
  const { store, settings, dispatch, output } = run;
  const { plan } = taken;
  const experiments = experimentViews(plan, taken.manifest, await earlierMetrics(taken.manifest));
  // Persistent with --gpus: a row per GPU slot's service ("pytorch-gpu0"), not the base ones.
  const services = dispatch.where === 'local' || dispatch.dispatcher.onJobs ? [] : (dispatch.dispatcher.commands.upServices ?? plan.services);
  const meta = campaignMeta(plan, settings, dispatch, run.gpus);
  store.dispatch({ type: 'campaign/planned', at: Date.now(), meta, experiments, services });
  for (const warning of [...warnings, ...(run.gpus?.notes ?? [])]) notice(store, 'warn', warning);
  for (const info of infos) notice(store, 'info', info);
  const telemetry = startGpuTelemetry(settings, { dispatch: store.dispatch });
  const engine = new CampaignEngine({
    plan,
    settings,
    dispatcher: dispatch.dispatcher,
    dispatch: store.dispatch,
    manifest: taken.manifest,
    toRun: taken.toRun,
    where: dispatch.where,
    env: process.env,
    caller: callerIdentity(),
    needsConfirm: run.confirmFirst,
    gpus: telemetry.hub,
    gpuSlots: run.gpus?.slots ?? null,
    slots: run.slots ?? undefined,
    heartbeatMs: run.interactive ? 0 : 60_000,
  });
  const quitter = (run.quitter = new Quitter(engine, dispatch.dispatcher, settings.stopGraceSeconds, dispatch.project));
  const removeSignals = quitter.installSignalHandlers();
  // From here the quitter owns the signals; one that came just before is its first.
  run.guard.remove();
  if (run.guard.received) quitter.quit(false);
  quitter.onHangup(() => output.close());
  try {
    output.show();
    const code = await engine.run();
    await telemetry.stop(); // nothing of ours runs on while the summary is shown
    await notifyFinished(store, settings, code);
    const started = store.getState().startedAt !== null;
    await output.finished(!started, quitter.quitting);
    output.close();
    if (run.interactive && quitter.quitting && started) {
      const resume = ['lem-tui', showPath(settings.campaignPath, process.cwd()), '--resume'];
      for (const line of quitEpilogue(store.getState(), resume, code)) process.stdout.write(`${line}\n`);
    }
    return code;
  } finally {
    removeSignals();
    await telemetry.stop();
  }
}

function notice(store: Store, level: 'info' | 'warn', message: string): void {
  store.dispatch({ type: 'notice', at: Date.now(), level, message });
}

// A real run: choose the dispatch, check the environment, take the manifest
// (fresh or resumed), then drive the engine with the Ink view in a terminal
// or the plain / NDJSON reporter elsewhere. The same engine and reducer serve
// both. Signals and quit keys go through the engine's AbortController.
import os from 'node:os';
import type { CliFlags } from './config/types.js';
import type { Dispatcher } from './compose/types.js';
import { EXIT } from './domain/exitCodes.js';
import type { PreparedCampaign } from './prepareCampaign.js';
import { CampaignEngine } from './campaign/engine.js';
import { buildDispatchRequest } from './campaign/dispatchRequest.js';
import { takeManifest } from './campaign/takeManifest.js';
import { acquireRunLock } from './campaign/runLock.js';
import { earlierMetrics, experimentViews } from './campaign/experimentViews.js';
import { createStore } from './state/store.js';
import { campaignReducer, initialCampaignState } from './state/reducer.js';
import type { CampaignMeta, Command } from './state/types.js';
import { createPlainReporter } from './report/plain.js';
import { createNdjsonReporter } from './report/ndjson.js';
import { formatDryRun } from './report/dryRun.js';
import { resolveDispatch, type ResolvedDispatch } from './compose/resolveDispatch.js';
import { EnvironmentError } from './domain/environmentError.js';
import { isInteractive } from './modes/isInteractive.js';
import { sweepProject } from './compose/index.js';
import { sweepLeftovers } from './compose/sweepLeftovers.js';
import { sendWebhook, webhookPayload } from './campaign/notify.js';
import { colorFromEnv } from './ui/theme.js';
import type { StartupGuard } from './startupGuard.js';
import { quitEpilogue } from './report/quitEpilogue.js';
import { showPath } from './config/errors.js';

export { EnvironmentError };

// Once per process: os.userInfo() reads the user database on every call, and
// --dry-run asks for every experiment (10,000 in a big grid: 0.8 s of 1.3 s).
let callerIdentity: { uid: number; gid: number } | null = null;
const caller = () => {
  if (!callerIdentity) {
    const { uid, gid } = os.userInfo();
    callerIdentity = { uid, gid };
  }
  return callerIdentity;
};

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
      dispatch.dispatcher.describe(
        buildDispatchRequest(plan, experiment, settings, dispatch.where, process.env, caller()),
      ),
    before: dispatch.before,
    after: dispatch.after,
    configNotes: [...prepared.configNotes, ...dispatch.notes, ...dispatch.infos],
  });
  for (const warning of prepared.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** A real run. `guard` holds the signals until the run's own handlers take them (startupGuard.ts). */
export async function runCampaign(given: PreparedCampaign, flags: CliFlags, cwd: string, guard: StartupGuard): Promise<number> {
  try {
    return await startAndDrive(given, flags, cwd, guard);
  } finally {
    guard.remove();
  }
}

async function startAndDrive(given: PreparedCampaign, flags: CliFlags, cwd: string, guard: StartupGuard): Promise<number> {
  const interactive = isInteractive(flags);
  const dispatch = await resolveDispatch(given, flags, { forDryRun: false });
  guard.check();
  // With Docker, configs and results live where the services mount them.
  const prepared = { ...given, settings: { ...given.settings, ...dispatch.dirs } };
  const { settings } = prepared;
  if (dispatch.dispatcher.capabilities.keepsServicesUp && !interactive && !flags.yes) {
    throw new EnvironmentError(
      'persistent mode needs a confirmation, and there is no terminal to ask in',
      'pass --yes to start the persistent services without asking',
    );
  }

  const lock = await acquireRunLock(settings.stateDir);
  try {
    guard.check();
    const taken = await takeManifest(prepared, flags, { interactive, project: dispatch.project, cwd });
    guard.check();
    if (dispatch.project && taken.previousProject) {
      const old = await sweepProject(taken.previousProject);
      if (old.removed.length > 0) taken.notes.push(`removed ${old.removed.length} container(s) of this campaign's earlier compose project ${taken.previousProject}`);
    }
    if (dispatch.project) {
      const swept = await sweepLeftovers(dispatch.project);
      if (swept.removed.length > 0) taken.notes.push(`removed ${swept.removed.length} container(s) an earlier run left behind: ${swept.removed.join(', ')}`);
      if (swept.harnessStopped.length > 0) {
        taken.notes.push(`stopped the harness a dead run left running in ${swept.harnessStopped.join(', ')} (the container was removed)`);
      }
      for (const failure of swept.failed) taken.notes.push(`could not remove a leftover container: ${failure}`);
    }
    guard.check();
    return await drive(prepared, flags, dispatch, taken, interactive, guard);
  } finally {
    await lock.release();
  }
}

async function drive(
  prepared: PreparedCampaign,
  flags: CliFlags,
  dispatch: ResolvedDispatch,
  taken: Awaited<ReturnType<typeof takeManifest>>,
  interactive: boolean,
  guard: StartupGuard,
): Promise<number> {
  const { settings } = prepared;
  const plan = taken.plan;
  const store = createStore(campaignReducer, initialCampaignState());
  const meta: CampaignMeta = {
    campaignName: plan.campaignName,
    campaignId: plan.campaignId,
    strategy: dispatch.strategy,
    dispatch: dispatch.where,
    dispatchReason: dispatch.reason,
    composeProject: dispatch.project,
    composeFile: dispatch.composeFileLabel,
    commands: dispatch.dispatcher.commands,
    cycles: plan.cycles,
    structure: plan.structure,
    resultsDir: settings.resultsDir,
    manifestPath: settings.manifestPath,
    logDir: settings.resultsDir,
    autoTeardown: settings.autoTeardown,
    configGapSeconds: settings.configGapSeconds,
    cycleGapSeconds: settings.cycleGapSeconds,
  };

  let quitter: Quitter | null = null;
  if (!interactive) {
    // A reader that went away (`| head`) is a request to stop, not a crash.
    const out = lineWriter(process.stdout, () => quitter?.quit(false));
    store.subscribe(flags.json ? createNdjsonReporter(out) : createPlainReporter(out));
  }
  store.dispatch({
    type: 'campaign/planned',
    at: Date.now(),
    meta,
    experiments: experimentViews(plan, taken.manifest, await earlierMetrics(taken.manifest)),
    services: dispatch.where === 'local' ? [] : plan.services,
  });
  const notice = (level: 'info' | 'warn', message: string) => store.dispatch({ type: 'notice', at: Date.now(), level, message });
  for (const warning of [...prepared.warnings, ...dispatch.notes]) notice('warn', warning);
  for (const note of [...dispatch.infos, ...taken.notes]) notice('info', note);

  const dispatcher = dispatch.dispatcher;
  const engine = new CampaignEngine({
    plan,
    settings,
    dispatcher,
    dispatch: store.dispatch,
    manifest: taken.manifest,
    toRun: taken.toRun,
    where: dispatch.where,
    env: process.env,
    caller: caller(),
    needsConfirm: dispatch.dispatcher.capabilities.keepsServicesUp && interactive && !flags.yes,
    heartbeatMs: interactive ? 0 : 60_000,
  });

  quitter = new Quitter(engine, dispatcher, settings.stopGraceSeconds, dispatch.project);
  const removeSignals = quitter.installSignalHandlers();
  // From here the quitter owns the signals; one that came just before is its first.
  guard.remove();
  if (guard.received) quitter.quit(false);
  const notify = async (code: number) => {
    const payload = webhookPayload(store.getState(), settings, code);
    if (!payload || !settings.webhookUrl) return;
    const said = await sendWebhook(settings.webhookUrl, payload);
    store.dispatch({ type: 'notice', at: Date.now(), level: said.startsWith('notification sent') ? 'info' : 'warn', message: said });
  };
  try {
    if (!interactive) {
      const code = await engine.run();
      await notify(code);
      return code;
    }
    const code = await runInteractive(store, engine, quitter, notify);
    if (quitter.quitting && store.getState().startedAt !== null) {
      const resume = ['lem-tui', showPath(settings.campaignPath, process.cwd()), '--resume'];
      for (const line of quitEpilogue(store.getState(), resume, code)) process.stdout.write(`${line}\n`);
    }
    return code;
  } finally {
    removeSignals();
  }
}

async function runInteractive(
  store: ReturnType<typeof createStore>,
  engine: CampaignEngine,
  quitter: Quitter,
  notify: (code: number) => Promise<void>,
): Promise<number> {
  // React's development build (the default without NODE_ENV) records a
  // performance.measure() per component render, which Node keeps in its
  // timeline forever: under a log flood that is +230 MB of RSS and a third of
  // the CPU (BENCHMARKS.md, "TUI under a log flood"). React is first loaded
  // here, so this decides which build it uses.
  process.env.NODE_ENV ??= 'production';
  const { mountApp } = await import('./modes/interactive.js');
  let leave: () => void = () => {};
  const left = new Promise<void>((resolve) => (leave = resolve));
  const send = (command: Command) => {
    // Once the campaign has finished, the summary's `q` leaves the program.
    if (store.getState().phase === 'finished' && command.type === 'quit') return leave();
    quitter.command(command);
  };
  const color = colorFromEnv(process.env);
  const app = mountApp(store, send, color);
  const ticker = setInterval(() => store.dispatch({ type: 'tick', at: Date.now() }), 1000);
  quitter.onHangup(() => app.unmount());
  try {
    const code = await engine.run();
    await notify(code);
    // Declined on the confirm screen (nothing was started, even on a resume
    // with completed experiments): leave at once; otherwise stay on the summary.
    const nothingStarted = store.getState().startedAt === null;
    if (!nothingStarted && !quitter.quitting) await left;
    return code;
  } finally {
    clearInterval(ticker);
    app.unmount();
  }
}

/**
 * Quit, Ctrl-C and signals: the first asks the engine to stop (cancel, tear
 * down, save), the second forces — containers of the project are removed by
 * label at once and the process exits 130. Nothing may be left behind either way.
 */
class Quitter {
  quitting = false;
  private hangup: () => void = () => {};

  constructor(
    private readonly engine: CampaignEngine,
    private readonly dispatcher: Dispatcher,
    private readonly graceSeconds: number,
    private readonly project: string | null,
  ) {}

  command(command: Command): void {
    if (command.type === 'quit') return this.quit(command.force);
    this.engine.command(command);
  }

  onHangup(fn: () => void): void {
    this.hangup = fn;
  }

  quit(force: boolean): void {
    if (force || this.quitting) {
      void this.force();
      return;
    }
    this.quitting = true;
    this.engine.command({ type: 'quit', force: false });
    // A hard deadline: teardown must not hang the terminal forever.
    setTimeout(() => void this.force(), (this.graceSeconds + 60) * 1000).unref();
  }

  installSignalHandlers(): () => void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (signal === 'SIGHUP') {
        // The terminal is gone: stdout may fail with EIO. Stop rendering, finish teardown.
        try {
          this.hangup();
        } catch {
          /* the terminal is already gone */
        }
      }
      this.quit(false);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, onSignal);
    return () => {
      for (const signal of signals) process.off(signal, onSignal);
    };
  }

  private forcing = false;
  private async force(): Promise<void> {
    if (this.forcing) return;
    this.forcing = true;
    this.engine.command({ type: 'quit', force: true });
    process.stderr.write('\nlem-tui: forced quit, removing containers\n');
    const deadline = new Promise((resolve) => setTimeout(resolve, 15_000).unref());
    // No grace this time: every container of the project is removed by label.
    // Local dispatch has no label to sweep by: its shutdown waits for the
    // runs' own kill ladders (SIGKILL after the grace); exiting first would
    // cancel that SIGKILL and leave a harness that ignores SIGTERM running.
    const removal = this.project ? sweepProject(this.project).then(() => {}) : this.dispatcher.shutdown();
    await Promise.race([removal.catch(() => {}), deadline]);
    try {
      this.hangup(); // unmount Ink: raw mode off, cursor back
    } catch {
      /* the terminal may be gone */
    }
    process.exit(EXIT.interrupted);
  }
}

/** Writes lines until the stream breaks (EPIPE, EIO after a hangup); then calls `onBroken` once and goes quiet. */
function lineWriter(stream: NodeJS.WriteStream, onBroken: () => void): (line: string) => void {
  let broken = false;
  const breakOnce = () => {
    if (broken) return;
    broken = true;
    onBroken();
  };
  stream.on('error', breakOnce);
  return (line) => {
    if (broken) return;
    try {
      stream.write(`${line}\n`);
    } catch {
      breakOnce();
    }
  };
}

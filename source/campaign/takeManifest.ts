// The manifest a run starts from: a new one, or an earlier run's to resume
// (LEM-FORMATS.md, "Manifest"). --resume or --yes resumes; --no-resume moves
// the old manifest aside (results are never deleted); in a terminal with
// neither, the user is asked (the TUI's question screen); without a
// terminal, the user must say which with flags.
import { showPath } from '../config/errors.js';
import type { CliFlags, RunSettings } from '../config/types.js';
import { EnvironmentError } from '../domain/environmentError.js';
import { archiveManifest, createManifest, loadManifest, mergeForResume, wasInterrupted, writeManifest, type LoadedManifest } from './manifest.js';
import { legacySha256CampaignId } from '../plan/campaignId.js';
import { adoptFinishedRuns } from './resumeAdopt.js';
import type { Manifest } from './types.js';
import type { Plan } from '../plan/types.js';

export interface TakenManifest {
  manifest: Manifest;
  /** The plan to run: on resume, linked experiments keep the ids their results carry. */
  plan: Plan;
  toRun: Set<string>;
  notes: string[];
  /**
   * The compose project the resumed manifest recorded, when it is not this
   * run's (an earlier lem-tui named projects lem-<id>): the caller sweeps it
   * too, since it is this state folder's and no live run owns it (the lock).
   */
  previousProject?: string;
}

/** What the manifest is taken for: the planned campaign, its settings and the campaign file's hash. */
export interface TakeInput {
  plan: Plan;
  settings: RunSettings;
  loaded: { fileHash: string };
}

/** Asks a yes/no question of the user; `defaultYes` is what Enter answers. */
export type Ask = (question: string, defaultYes: boolean) => Promise<boolean>;

export interface TakeOptions {
  /** A terminal to ask in: without one, the flags must say what to do. */
  interactive: boolean;
  project: string | null;
  cwd: string;
  /** Asks in the terminal (the TUI's question screen); used only when interactive. */
  ask: Ask;
  /**
   * Epoch ms: a result of a run lem-tui was killed in counts only when it
   * was written before this (the earlier run's harnesses were asked to stop
   * then: what one writes on its way out may be partial). Absent: any.
   */
  resultsBefore?: number;
}

interface Context {
  input: TakeInput;
  flags: CliFlags;
  options: TakeOptions;
  /** The manifest's path as the user wrote it, for messages. */
  where: string;
}

export async function takeManifest(input: TakeInput, flags: CliFlags, options: TakeOptions): Promise<TakenManifest> {
  const cx: Context = { input, flags, options, where: showPath(input.settings.manifestPath, options.cwd) };
  const loaded = await readEarlier(cx);
  if (loaded === 'moved-aside') return fresh(cx, [`the earlier manifest (unreadable) was moved to ${await moveAside(cx)}`]);
  if (!loaded) return fresh(cx, []);
  const existing = loaded.manifest;
  if (!(await shouldResume(cx, existing))) return fresh(cx, [`the earlier manifest was moved to ${await moveAside(cx)}`]);
  return resume(cx, loaded);
}

async function fresh({ input, options }: Context, notes: string[]): Promise<TakenManifest> {
  const { plan, settings } = input;
  const manifest = createManifest(plan, {
    campaignFileHash: input.loaded.fileHash,
    composeProject: options.project,
    now: new Date(),
    baseDir: settings.campaignDir,
  });
  await writeManifest(settings.manifestPath, manifest);
  return { manifest, plan, toRun: new Set(plan.experiments.map((e) => e.expId)), notes };
}

async function moveAside({ input, options }: Context): Promise<string> {
  return showPath(await archiveManifest(input.settings.manifestPath, new Date()), options.cwd);
}

/** The earlier manifest, null when there is none; 'moved-aside' when it is unreadable and --no-resume says start over. */
async function readEarlier(cx: Context): Promise<LoadedManifest | null | 'moved-aside'> {
  try {
    return await loadManifest(cx.input.settings.manifestPath);
  } catch (error) {
    // --no-resume needs nothing from the old file: move it aside, as the hint below promises.
    if (cx.flags.resume === false) return 'moved-aside';
    throw new EnvironmentError(
      `the manifest ${cx.where} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      'fix or move the file; --no-resume moves it aside and starts over',
    );
  }
}

/** --resume / --no-resume / --yes decide; else the user is asked, or without a terminal told to decide. */
async function shouldResume(cx: Context, existing: Manifest): Promise<boolean> {
  const done = existing.experiments.filter((e) => e.status === 'completed').length;
  const summary = `${done}/${existing.experiments.length} completed`;
  const decided = cx.flags.resume ?? (cx.flags.yes ? true : undefined);
  if (decided !== undefined) return decided;
  if (!cx.options.interactive) {
    throw new EnvironmentError(
      `a manifest of an earlier run exists (${cx.where}, ${summary})`,
      'pass --resume to continue it, or --no-resume to start over (the old manifest is moved aside, results are kept)',
    );
  }
  return cx.options.ask(`An earlier run of this campaign exists (${summary}). Resume it?`, true);
}

/** The manifest must be this campaign's (an earlier lem-tui's SHA-256 id is adopted, with a note). */
function checkSameCampaign({ input, where }: Context, existing: Manifest, notes: string[]): void {
  const { plan } = input;
  if (existing.campaign_id === plan.campaignId) return;
  if (existing.campaign_name !== plan.campaignName || existing.campaign_id !== legacySha256CampaignId(plan.campaignName)) {
    throw new EnvironmentError(
      `the manifest ${where} belongs to campaign ${existing.campaign_name} (${existing.campaign_id}), this campaign is ${plan.campaignName} (${plan.campaignId})`,
      'give each campaign its own io.state_dir, or pass --no-resume to move that manifest aside (its results are kept)',
    );
  }
  notes.push(`the manifest has the campaign id of an earlier lem-tui (${existing.campaign_id}); it now has llenergymeasure's (${plan.campaignId})`);
}

async function resume(cx: Context, loaded: LoadedManifest): Promise<TakenManifest> {
  const { input, flags, options } = cx;
  const { writtenByLlenergymeasure } = loaded;
  const notes: string[] = [];
  checkSameCampaign(cx, loaded.manifest, notes);
  // A run SIGKILLed after its harness wrote a complete result: that result stands.
  const { manifest: existing, adopted } = await adoptFinishedRuns(loaded.manifest, input.settings.resultsDir, options.resultsBefore);
  const resumeOptions = {
    campaignFileHash: input.loaded.fileHash,
    composeProject: options.project,
    now: new Date(),
    baseDir: input.settings.campaignDir,
    writtenByLlenergymeasure,
  };
  const probe = mergeForResume(existing, input.plan, { ...resumeOptions, rerunFailed: false });
  const changed = await confirmChanges(cx, probe);
  const interrupted = existing.experiments.filter(wasInterrupted).length;
  const failed = existing.experiments.filter((e) => e.status === 'failed' && !wasInterrupted(e)).length;
  let rerunFailed = flags.yes;
  if (failed > 0 && !flags.yes && options.interactive) rerunFailed = await options.ask(`Run the ${failed} failed experiments again?`, true);
  const merged = rerunFailed ? mergeForResume(existing, input.plan, { ...resumeOptions, rerunFailed: true }) : probe;
  await writeManifest(input.settings.manifestPath, merged.manifest);

  notes.unshift(`resuming: ${merged.completed} completed, ${merged.toRun.length} to run`);
  if (adopted.length > 0) notes.push(`${adopted.length} experiments whose run finished while lem-tui was not running are kept as completed: ${adopted.join(', ')}`);
  if (interrupted > 0) notes.push(`${interrupted} interrupted experiments run again`);
  if (merged.added > 0) notes.push(`${merged.added} experiments new in the campaign file are queued`);
  if (failed > 0 && !rerunFailed) notes.push(`${failed} failed experiments are not run again (--yes runs them)`);
  if (merged.linkedByPosition > 0) {
    notes.push(
      `${merged.linkedByPosition} grid experiments were linked by position to entries named <backend>-<model>: ` +
        'llenergymeasure names every grid config so, and their config_hash matched none of ours',
    );
  }
  if (changed) notes.push(changed);
  const previous = existing.compose_project;
  const previousProject = previous && previous !== options.project && previous.startsWith('lem-') ? previous : undefined;
  return { manifest: merged.manifest, plan: merged.plan, toRun: new Set(merged.toRun), notes, previousProject };
}

/** A changed campaign file (or llenergymeasure config_hash) resumes only when --yes or the user says so; returns what changed. */
async function confirmChanges(cx: Context, probe: ReturnType<typeof mergeForResume>): Promise<string | null> {
  const changed = probe.changedCampaignFile
    ? 'the campaign file changed since the manifest was written'
    : probe.changedConfigs > 0
      ? `the config of ${probe.changedConfigs} experiments is not the one llenergymeasure's manifest records (config_hash)`
      : null;
  if (!changed || cx.flags.yes) return changed;
  if (!cx.options.interactive) throw new EnvironmentError(changed, 'pass --yes to resume anyway, or --no-resume to start over');
  if (!(await cx.options.ask(`${changed}. Resume anyway?`, false))) {
    throw new EnvironmentError(`${changed}; not resumed`, 'pass --no-resume to start over');
  }
  return changed;
}

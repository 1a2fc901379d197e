// The manifest a run starts from: a new one, or an earlier run's to resume
// (LEM-FORMATS.md, "Manifest"). --resume or --yes resumes; --no-resume moves
// the old manifest aside (results are never deleted); in a terminal with
// neither, the user is asked; without a terminal, the user must say which.
import { createInterface } from 'node:readline/promises';
import { showPath } from '../config/errors.js';
import type { CliFlags } from '../config/types.js';
import { EnvironmentError } from '../domain/environmentError.js';
import type { PreparedCampaign } from '../prepareCampaign.js';
import { archiveManifest, createManifest, loadManifest, mergeForResume, wasInterrupted, writeManifest, type LoadedManifest } from './manifest.js';
import { legacySha256CampaignId } from '../plan/campaignId.js';
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

export interface TakeOptions {
  interactive: boolean;
  project: string | null;
  cwd: string;
  /** Asks a yes/no question in the terminal (replaceable in tests). */
  ask?: (question: string, defaultYes: boolean) => Promise<boolean>;
}

export async function takeManifest(prepared: PreparedCampaign, flags: CliFlags, options: TakeOptions): Promise<TakenManifest> {
  const { plan, settings, loaded } = prepared;
  const ask = options.ask ?? askInTerminal;
  const where = showPath(settings.manifestPath, options.cwd);
  const fresh = async (notes: string[]): Promise<TakenManifest> => {
    const manifest = createManifest(plan, {
      campaignFileHash: loaded.fileHash,
      composeProject: options.project,
      now: new Date(),
      baseDir: settings.campaignDir,
    });
    await writeManifest(settings.manifestPath, manifest);
    return { manifest, plan, toRun: new Set(plan.experiments.map((e) => e.expId)), notes };
  };

  let loadedManifest: LoadedManifest | null;
  try {
    loadedManifest = await loadManifest(settings.manifestPath);
  } catch (error) {
    // --no-resume needs nothing from the old file: move it aside, as the hint below promises.
    if (flags.resume === false) {
      const moved = await archiveManifest(settings.manifestPath, new Date());
      return fresh([`the earlier manifest (unreadable) was moved to ${showPath(moved, options.cwd)}`]);
    }
    throw new EnvironmentError(
      `the manifest ${where} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      'fix or move the file; --no-resume moves it aside and starts over',
    );
  }
  if (!loadedManifest) return fresh([]);
  const { manifest: existing, writtenByLlenergymeasure } = loadedManifest;

  const done = existing.experiments.filter((e) => e.status === 'completed').length;
  const summary = `${done}/${existing.experiments.length} completed`;
  let resume = flags.resume ?? (flags.yes ? true : undefined);
  if (resume === undefined) {
    if (!options.interactive) {
      throw new EnvironmentError(
        `a manifest of an earlier run exists (${where}, ${summary})`,
        'pass --resume to continue it, or --no-resume to start over (the old manifest is moved aside, results are kept)',
      );
    }
    resume = await ask(`An earlier run of this campaign exists (${summary}). Resume it?`, true);
  }
  if (!resume) {
    const moved = await archiveManifest(settings.manifestPath, new Date());
    return fresh([`the earlier manifest was moved to ${showPath(moved, options.cwd)}`]);
  }
  const notes: string[] = [];
  if (existing.campaign_id !== plan.campaignId) {
    // lem-tui's manifests from before it took llenergymeasure's id carry the old one: same campaign.
    if (existing.campaign_name !== plan.campaignName || existing.campaign_id !== legacySha256CampaignId(plan.campaignName)) {
      throw new EnvironmentError(
        `the manifest ${where} belongs to campaign ${existing.campaign_name} (${existing.campaign_id}), this campaign is ${plan.campaignName} (${plan.campaignId})`,
        'give each campaign its own io.state_dir, or pass --no-resume to move that manifest aside (its results are kept)',
      );
    }
    notes.push(`the manifest has the campaign id of an earlier lem-tui (${existing.campaign_id}); it now has llenergymeasure's (${plan.campaignId})`);
  }

  const resumeOptions = {
    campaignFileHash: loaded.fileHash,
    composeProject: options.project,
    now: new Date(),
    baseDir: settings.campaignDir,
    writtenByLlenergymeasure,
  };
  const probe = mergeForResume(existing, plan, { ...resumeOptions, rerunFailed: false });
  const changed = probe.changedCampaignFile
    ? 'the campaign file changed since the manifest was written'
    : probe.changedConfigs > 0
      ? `the config of ${probe.changedConfigs} experiments is not the one llenergymeasure's manifest records (config_hash)`
      : null;
  if (changed && !flags.yes) {
    if (!options.interactive) throw new EnvironmentError(changed, 'pass --yes to resume anyway, or --no-resume to start over');
    if (!(await ask(`${changed}. Resume anyway?`, false))) {
      throw new EnvironmentError(`${changed}; not resumed`, 'pass --no-resume to start over');
    }
  }
  const interrupted = existing.experiments.filter(wasInterrupted).length;
  const failed = existing.experiments.filter((e) => e.status === 'failed' && !wasInterrupted(e)).length;
  let rerunFailed = flags.yes;
  if (failed > 0 && !flags.yes && options.interactive) rerunFailed = await ask(`Run the ${failed} failed experiments again?`, true);
  const merged = rerunFailed ? mergeForResume(existing, plan, { ...resumeOptions, rerunFailed: true }) : probe;
  await writeManifest(settings.manifestPath, merged.manifest);

  notes.unshift(`resuming: ${merged.completed} completed, ${merged.toRun.length} to run`);
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

async function askInTerminal(question: string, defaultYes: boolean): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = (await rl.question(`${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `)).trim().toLowerCase();
    if (answer === '') return defaultYes;
    return answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

// The manifest a run starts from: a new one, or an earlier run's to resume
// (LEM-FORMATS.md, "Manifest"). --resume or --yes resumes; --no-resume moves
// the old manifest aside (results are never deleted); in a terminal with
// neither, the user is asked; without a terminal, the user must say which.
import { createInterface } from 'node:readline/promises';
import { showPath } from '../config/errors.js';
import type { CliFlags } from '../config/types.js';
import { EnvironmentError } from '../environmentError.js';
import type { PreparedCampaign } from '../prepareCampaign.js';
import { archiveManifest, createManifest, mergeForResume, readManifest, writeManifest } from './manifest.js';
import type { Manifest } from './types.js';
import type { Plan } from '../plan/types.js';

export interface TakenManifest {
  manifest: Manifest;
  /** The plan to run: on resume, linked experiments keep the ids their results carry. */
  plan: Plan;
  toRun: Set<string>;
  notes: string[];
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

  let existing: Manifest | null;
  try {
    existing = await readManifest(settings.manifestPath);
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
  if (!existing) return fresh([]);

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
  if (existing.campaign_id !== plan.campaignId) {
    throw new EnvironmentError(
      `the manifest ${where} belongs to campaign ${existing.campaign_name} (${existing.campaign_id}), not ${plan.campaignName}`,
      'give this campaign its own io.state_dir, or pass --no-resume to move that manifest aside',
    );
  }

  const resumeOptions = {
    campaignFileHash: loaded.fileHash,
    composeProject: options.project,
    now: new Date(),
    baseDir: settings.campaignDir,
  };
  const probe = mergeForResume(existing, plan, { ...resumeOptions, rerunFailed: false });
  if (probe.changedCampaignFile && !flags.yes) {
    const message = 'the campaign file changed since the manifest was written';
    if (!options.interactive) throw new EnvironmentError(message, 'pass --yes to resume anyway, or --no-resume to start over');
    if (!(await ask(`${message}. Resume anyway?`, false))) {
      throw new EnvironmentError(`${message}; not resumed`, 'pass --no-resume to start over');
    }
  }
  const failed = existing.experiments.filter((e) => e.status === 'failed').length;
  let rerunFailed = flags.yes;
  if (failed > 0 && !flags.yes && options.interactive) rerunFailed = await ask(`Run the ${failed} failed experiments again?`, true);
  const merged = rerunFailed ? mergeForResume(existing, plan, { ...resumeOptions, rerunFailed: true }) : probe;
  await writeManifest(settings.manifestPath, merged.manifest);

  const notes = [`resuming: ${merged.completed} completed, ${merged.toRun.length} to run`];
  if (merged.added > 0) notes.push(`${merged.added} experiments new in the campaign file are queued`);
  if (failed > 0 && !rerunFailed) notes.push(`${failed} failed experiments are not run again (--yes runs them)`);
  if (probe.changedCampaignFile) notes.push('the campaign file changed since the manifest was written');
  return { manifest: merged.manifest, plan: merged.plan, toRun: new Set(merged.toRun), notes };
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

// takeManifest on resume: whose manifest it is (campaign id, old and new),
// and llenergymeasure's own manifests (naive timestamps, its campaign hash,
// "Interrupted by user"), without a terminal.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createManifest, readManifest, updateEntry, writeManifest } from '../../source/campaign/manifest.js';
import { takeManifest } from '../../source/campaign/takeManifest.js';
import type { Manifest } from '../../source/campaign/types.js';
import type { CliFlags } from '../../source/config/types.js';
import { EnvironmentError } from '../../source/domain/environmentError.js';
import { legacySha256CampaignId } from '../../source/plan/campaignId.js';
import { prepareCampaign, type PreparedCampaign } from '../../source/prepareCampaign.js';
import { LEM, makeCampaign, removeCampaignDirs, type Campaign } from '../helpers/cli.js';

afterAll(() => removeCampaignDirs());

const NOW = new Date('2026-11-28T10:00:00.000Z');
const flags = (extra: Partial<CliFlags> = {}): CliFlags => ({
  yes: false,
  dryRun: false,
  validateOnly: false,
  tui: false,
  json: false,
  dispatch: 'local',
  lemCommand: LEM,
  resume: true,
  ...extra,
});
const options = (c: Campaign) => ({
  interactive: false,
  project: null,
  cwd: c.dir,
  ask: (): Promise<boolean> => {
    throw new Error('asked a question without a terminal');
  },
});

async function setUp(tag: string): Promise<{ c: Campaign; prepared: PreparedCampaign; ours: Manifest }> {
  const c = makeCampaign('basic.yaml', tag); // 2 configs × 2 cycles
  const prepared = await prepareCampaign(c.file, flags(), c.dir, process.env);
  const ours = createManifest(prepared.plan, { campaignFileHash: prepared.loaded.fileHash, now: NOW });
  return { c, prepared, ours };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as EnvironmentError);

describe('takeManifest: the campaign id', () => {
  it('a manifest of an earlier lem-tui (SHA-256 id, same name) resumes and takes the MD5 id, with a note', async () => {
    const { c, prepared, ours } = await setUp('legacy-id');
    const legacy = legacySha256CampaignId(c.name);
    let old: Manifest = { ...ours, campaign_id: legacy, compose_project: `lem-${legacy}` };
    old = updateEntry(old, '0001', { status: 'completed', result_path: 'results/aggregated/x.json' }, NOW);
    await writeManifest(c.manifestPath, old);

    const taken = await takeManifest(prepared, flags(), options(c));
    expect(taken.manifest.campaign_id).toBe(c.id);
    expect((await readManifest(c.manifestPath))!.campaign_id).toBe(c.id);
    expect([...taken.toRun]).toEqual(['0002', '0003', '0004']);
    expect(taken.notes).toContain(`the manifest has the campaign id of an earlier lem-tui (${legacy}); it now has llenergymeasure's (${c.id})`);
    expect(taken.previousProject, 'its old project is for the caller to sweep').toBe(`lem-${legacy}`);
  });

  it('a manifest of another campaign is refused, naming both campaigns and both ids, with a hint; the file is kept', async () => {
    const { c, prepared, ours } = await setUp('other-campaign');
    for (const [name, id] of [
      ['peerbench-overhead', '7d578375'],
      [c.name, 'deadbeef'], // the name matches, the id is neither ours nor the legacy one
    ]) {
      await writeManifest(c.manifestPath, { ...ours, campaign_name: name!, campaign_id: id! });
      const bytes = fs.readFileSync(c.manifestPath);
      const error = await refusal(takeManifest(prepared, flags(), options(c)));
      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error!.message).toBe(
        `the manifest .state/campaign_manifest.json belongs to campaign ${name} (${id}), this campaign is ${c.name} (${c.id})`,
      );
      expect(error!.hint).toContain('its own io.state_dir');
      expect(error!.hint).toContain('--no-resume');
      expect(fs.readFileSync(c.manifestPath).equals(bytes)).toBe(true);
    }
  });
});

/** The manifest as llenergymeasure writes it: naive local timestamps with microseconds, its own campaign hash. */
function theirs(ours: Manifest, edit: (entries: Record<string, unknown>[]) => void): string {
  const experiments = ours.experiments.map((e) => ({ ...e, started_at: null, completed_at: null }) as Record<string, unknown>);
  edit(experiments);
  return JSON.stringify({
    ...ours,
    created_at: '2026-11-28T10:00:00.123456',
    updated_at: '2026-11-28T10:20:00.654321',
    config_hash: '0123456789ab',
    experiments,
  });
}

const statuses = (entries: Record<string, unknown>[]) => {
  Object.assign(entries[0]!, { status: 'completed', started_at: '2026-11-28T10:00:01.000001', completed_at: '2026-11-28T10:05:00.5', result_path: 'results/aggregated/a.json' });
  Object.assign(entries[1]!, { status: 'failed', error: 'Interrupted by user', started_at: '2026-11-28T10:05:01.25' });
  Object.assign(entries[2]!, { status: 'failed', error: 'exit code 3' });
  Object.assign(entries[3]!, { status: 'running', started_at: '2026-11-28T10:10:00.000002' });
};

describe("takeManifest: llenergymeasure's manifest", () => {
  it('resumes with --resume alone: its campaign hash is not compared; interrupted entries run again, a real failure stays', async () => {
    const { c, prepared, ours } = await setUp('theirs');
    fs.mkdirSync(`${c.dir}/.state`, { recursive: true });
    fs.writeFileSync(c.manifestPath, theirs(ours, statuses));

    const taken = await takeManifest(prepared, flags(), options(c));
    expect([...taken.toRun]).toEqual(['0002', '0004']);
    expect(taken.manifest.experiments.map((e) => e.status)).toEqual(['completed', 'pending', 'failed', 'pending']);
    expect(taken.notes).toEqual([
      'resuming: 1 completed, 2 to run',
      '2 interrupted experiments run again',
      '1 failed experiments are not run again (--yes runs them)',
    ]);
    // Written back zoned, with our campaign hash from now on.
    const written = (await readManifest(c.manifestPath))!;
    expect(written.config_hash).toBe(prepared.loaded.fileHash);
    expect(JSON.parse(fs.readFileSync(c.manifestPath, 'utf8')).created_at).toBe(new Date(2026, 10, 28, 10, 0, 0, 123).toISOString());
  });

  it('an entry whose config_hash is not the planned config\'s needs a confirmation (--yes without a terminal)', async () => {
    const { c, prepared, ours } = await setUp('theirs-changed');
    fs.mkdirSync(`${c.dir}/.state`, { recursive: true });
    fs.writeFileSync(
      c.manifestPath,
      theirs(ours, (entries) => {
        statuses(entries);
        entries[0]!.config_hash = 'edited000000';
      }),
    );
    const error = await refusal(takeManifest(prepared, flags(), options(c)));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error!.message).toBe("the config of 1 experiments is not the one llenergymeasure's manifest records (config_hash)");
    expect(error!.hint).toContain('--yes');
    const taken = await takeManifest(prepared, flags({ yes: true }), options(c));
    expect(taken.notes).toContain("the config of 1 experiments is not the one llenergymeasure's manifest records (config_hash)");
  });
});

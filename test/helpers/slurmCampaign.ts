// The Slurm dispatch tests' campaigns and what Slurm says of their jobs.
import fs from 'node:fs';
import path from 'node:path';
import { makeCampaign, type Campaign } from './cli.js';
import { slurm, waitFor } from './slurm.js';

/** A campaign of these configs (name → harness keys) × cycles, written into a copy of fixtures/campaigns. */
export function slurmCampaign(tag: string, configs: Record<string, string>, edit: Record<string, unknown> = {}): Campaign {
  const names = Object.keys(configs);
  const c = makeCampaign('basic.yaml', `slurm-${tag}`, { configs: names.map((n) => `configs/${n}.yaml`), 'runner.max_retries': 1, ...edit });
  for (const [name, harness] of Object.entries(configs)) {
    const backend = name.startsWith('vllm') ? 'vllm' : 'pytorch';
    fs.writeFileSync(
      path.join(c.dir, 'configs', `${name}.yaml`),
      `schema_version: '3.0.0'\nconfig_name: ${name}\nmodel_name: Qwen/Qwen2.5-0.5B\nbackend: ${backend}\ndataset: {name: ai_energy_score, sample_size: 10}\nharness: {${harness}}\n`,
    );
  }
  return c;
}

/** The campaign's jobs Slurm still lists: id → state (ended ones stay listed for MinJobAge). */
export async function campaignJobs(c: Campaign): Promise<Map<string, { name: string; state: string; reason: string }>> {
  const r = await slurm(['squeue', '--noheader', '--states=all', '--format=%i|%j|%T|%r']);
  const jobs = new Map<string, { name: string; state: string; reason: string }>();
  for (const line of r.stdout.split('\n')) {
    const [id, name, state, reason] = line.trim().split('|');
    if (id && name?.startsWith(`${c.project}-`)) jobs.set(id, { name, state: state!, reason: reason! });
  }
  return jobs;
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING']);
export async function activeJobs(c: Campaign) {
  return [...(await campaignJobs(c)).entries()].filter(([, j]) => ACTIVE.has(j.state));
}

export async function waitRunning(c: Campaign, count: number): Promise<string[]> {
  return waitFor(`${count} running jobs of ${c.name}`, async () => {
    const running = (await activeJobs(c)).filter(([, j]) => j.state === 'RUNNING').map(([id]) => id);
    return running.length >= count ? running : undefined;
  });
}


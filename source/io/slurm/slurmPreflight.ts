// Before anything is submitted: Slurm's commands are here, its controller
// answers, the partition exists, Slurm would take the campaign's job request
// (slurmRequestCheck.ts). And where it can tell, whether the campaign
// folder is on a filesystem the nodes can see (a warning: a one-node cluster
// on this host sees everything). A failed check is exit 2, nothing submitted.
import fs from 'node:fs';
import os from 'node:os';
import { EnvironmentError } from '../../domain/environmentError.js';
import { findOnHost } from '../process/findOnHost.js';
import { capture } from '../process/process.js';
import { judgeRequest, testRequest, type SlurmRequest } from './slurmRequestCheck.js';

const SLURM_COMMANDS = ['srun', 'squeue', 'scancel', 'scontrol', 'sinfo'];
const ASK_MS = 15_000;

export async function slurmPreflight(request: SlurmRequest, folders: string[]): Promise<{ notes: string[] }> {
  const missing = SLURM_COMMANDS.filter((c) => !findOnHost(c));
  if (missing.length > 0) {
    throw new EnvironmentError(
      `Slurm is not installed on this host: ${missing.join(', ')} not found on PATH`,
      'run lem-tui on a login node of the cluster (or load Slurm there, e.g. `module load slurm`), or choose --dispatch docker|local',
    );
  }
  // All three at once (each answers in milliseconds from a live controller); reported in this order.
  const asking = new AbortController();
  const options = { timeoutMs: ASK_MS, signal: asking.signal };
  const pinging = capture(['scontrol', 'ping'], options);
  const listing = capture(['sinfo', '--noheader', '--format=%P|%a|%N'], options);
  const testing = testRequest(request, options);
  try {
    const ping = await pinging;
    if (ping.exitCode !== 0 || !/\bis UP\b/.test(ping.stdout)) {
      const said = (ping.stdout.trim() || ping.stderr.trim() || (ping.timedOut ? `no answer within ${ASK_MS / 1000} s` : `exit ${ping.exitCode}`)).split('\n')[0];
      throw new EnvironmentError(`the Slurm controller does not answer (scontrol ping: ${said})`, 'check `scontrol ping` and `sinfo` on this host; the controller may be down');
    }
    const partitions = (await listing).stdout.split('\n').filter(Boolean).map(partitionRow);
    const { partition } = request.slurm;
    const notes: string[] = [];
    const found = partition ? partitions.find((p) => p.name === partition) : partitions.find((p) => p.isDefault);
    if (partition && !found) {
      throw new EnvironmentError(
        `the Slurm partition "${partition}" does not exist (sinfo lists: ${partitions.map((p) => p.name + (p.isDefault ? '*' : '')).join(', ') || 'none'})`,
        'name one of those with --slurm-partition (or runner.slurm.partition)',
      );
    }
    if (partition && found && found.state !== 'up') notes.push(`the Slurm partition "${partition}" is ${found.state}: jobs wait until it is up`);
    notes.push(...(await judgeRequest(request, await testing, { name: found?.name ?? null, up: found?.state === 'up' }, ASK_MS)));
    const onlyThisHost = partitions.length > 0 && partitions.every((p) => p.nodes === os.hostname().split('.')[0]);
    if (!onlyThisHost) notes.push(...folders.flatMap((f) => sharedFilesystemNote(f)));
    return { notes };
  } finally {
    asking.abort(); // what a failed check left unasked
    await Promise.allSettled([pinging, listing, testing]);
  }
}

function partitionRow(line: string): { name: string; isDefault: boolean; state: string; nodes: string } {
  const [name = '', state = '', nodes = ''] = line.split('|');
  return { name: name.replace(/\*$/, ''), isDefault: name.endsWith('*'), state, nodes };
}

/** statfs magic numbers of filesystems a cluster's nodes share (NFS, Lustre, GPFS, BeeGFS, CephFS, SMB, 9p, FUSE ones such as sshfs). */
const SHARED = new Set([0x6969, 0x0bd00bd0, 0x47504653, 0x19830326, 0x00c36400, 0xff534d42, 0xfe534d42, 0x01021997, 0x65735546, 0x013111a8, 0xaad7aaea]);

function sharedFilesystemNote(folder: string): string[] {
  let type: number;
  try {
    type = fs.statfsSync(nearestExisting(folder)).type;
  } catch {
    return [];
  }
  return SHARED.has(type)
    ? []
    : [`${folder} is on a filesystem local to this host (statfs type 0x${type.toString(16)}): the nodes must see it at the same path, or their results never reach this folder`];
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d) && d !== '/') d = d.replace(/\/[^/]*\/?$/, '') || '/';
  return d;
}

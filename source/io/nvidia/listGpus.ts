// `nvidia-smi -L`: which GPUs this host has, for --gpus (all, or to check
// the ids given and learn their UUIDs).
import { capture } from '../process/process.js';
import { parseGpuList, type ListedGpu } from './smiList.js';

export const LIST_GPUS_ARGV = ['nvidia-smi', '-L'];

/** The host's GPUs, or why nvidia-smi could not tell ("nvidia-smi not found"). */
export async function listGpus(argv: string[] = LIST_GPUS_ARGV): Promise<{ gpus: ListedGpu[] } | { unavailable: string }> {
  const r = await capture(argv, { timeoutMs: 20_000 });
  if (r.spawnError) return { unavailable: /ENOENT/.test(r.spawnError) ? 'nvidia-smi is not found' : `nvidia-smi failed: ${r.spawnError.split('\n')[0]}` };
  if (r.timedOut) return { unavailable: 'nvidia-smi -L did not answer within 20 s' };
  if (r.exitCode !== 0) {
    const said = (r.stdout.trim() || r.stderr.trim()).split('\n')[0] ?? '';
    return { unavailable: `nvidia-smi -L failed (exit ${r.exitCode}${said ? `: ${said}` : ''})` };
  }
  return { gpus: parseGpuList(r.stdout) };
}

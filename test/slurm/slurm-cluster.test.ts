// The single-node Slurm cluster of scripts/start-slurm.sh, as the Slurm
// dispatch will use it: two GPUs (generic resources on /dev/null, /dev/zero),
// one per job, CUDA_VISIBLE_DEVICES set by Slurm; 2 jobs at once, a third
// waits PENDING (Resources); scancel empties the queue of our jobs.
// The jobs only sleep: no CPU to speak of.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowRealProcessTime } from '../helpers/realProcesses.js';
import { slurm, slurmForTests, useSlurmJobs, waitFor } from '../helpers/slurm.js';

const cluster = await slurmForTests();

describe.runIf(cluster)('single-node Slurm cluster (scripts/start-slurm.sh)', () => {
  allowRealProcessTime();
  const jobs = useSlurmJobs('cluster');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-slurm-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('srun --gres=gpu:1 gets one GPU: CUDA_VISIBLE_DEVICES is 0 or 1', async () => {
    const r = await slurm(['srun', `--job-name=${jobs.prefix}-srun`, '--gres=gpu:1', 'sh', '-c', 'echo $CUDA_VISIBLE_DEVICES']);
    expect(r.stdout.trim()).toMatch(/^[01]$/);
  });

  it('runs 2 jobs at once on different GPUs, a third waits PENDING (Resources); scancel empties the queue', async () => {
    const out = (tag: string) => path.join(dir, `${tag}.out`);
    const submit = (tag: string) => jobs.sbatch(tag, ['--gres=gpu:1', `--output=${out(tag)}`, '--wrap', 'env; exec sleep 120']);
    try {
      const first = await submit('a');
      const second = await submit('b');
      await waitFor('the first two jobs RUNNING', async () => {
        const q = await jobs.queue();
        return q.get(first)?.startsWith('RUNNING') && q.get(second)?.startsWith('RUNNING') ? true : undefined;
      });
      const third = await submit('c');
      // The scheduler gives a reason once it has looked at the job (at once, or at its next pass).
      const pending = await waitFor('the third job PENDING for Resources', async () => {
        const s = (await jobs.queue()).get(third);
        return s === 'PENDING Resources' ? s : undefined;
      });
      expect(pending).toBe('PENDING Resources');
      const q = await jobs.queue();
      expect(q.get(first)).toMatch(/^RUNNING/);
      expect(q.get(second)).toMatch(/^RUNNING/);

      const gpuOf = (tag: string) =>
        waitFor(`CUDA_VISIBLE_DEVICES in job ${tag}'s output`, async () => {
          const text = fs.existsSync(out(tag)) ? fs.readFileSync(out(tag), 'utf8') : '';
          return /^CUDA_VISIBLE_DEVICES=(.*)$/m.exec(text)?.[1];
        });
      const gpus = [await gpuOf('a'), await gpuOf('b')];
      expect(gpus.sort()).toEqual(['0', '1']);
      expect(fs.existsSync(out('c')), 'the pending job has not started').toBe(false);

      await slurm(['scancel', first, second, third]);
      await waitFor('our jobs gone from squeue', async () => ((await jobs.queue()).size === 0 ? true : undefined));
    } finally {
      await jobs.cancelAll();
    }
  });
});

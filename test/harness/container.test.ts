// The harness inside the busybox-only image (scripts/build-images.sh), laid
// out like the demo's services: configs at /app/configs, results at
// /app/results, `init: true`, our uid. Containers carry the suite's compose
// project label, so the suite checks that none is left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from '../../source/io/process/process.js';
import { readMetrics, ResultFinder } from '../../source/campaign/results.js';
import { engineForTests, sleep, useDockerSuite } from '../helpers/docker.js';
import { allowRealProcessTime } from '../helpers/realProcesses.js';

allowRealProcessTime();

const available = await engineForTests();
const IMAGE = 'lem-tui-demo:latest';

describe.runIf(available)('fixtures/harness/lem in the busybox image', () => {
  const suite = useDockerSuite();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-container-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const configs = path.join(dir, 'configs');
  const results = path.join(dir, 'results');
  fs.mkdirSync(configs);
  fs.mkdirSync(results);

  function dockerRun(project: string, config: Record<string, unknown>, name: string, detach = false): string[] {
    fs.writeFileSync(path.join(configs, `_campaign_${name}.yaml`), stringify(config));
    return [
      'docker', 'run', ...(detach ? ['-d'] : ['--rm']),
      '--label', `com.docker.compose.project=${project}`,
      '--network', 'none', '--init',
      '--user', `${process.getuid!()}:${process.getgid!()}`,
      '-v', `${configs}:/app/configs:ro`, '-v', `${results}:/app/results`,
      '-e', 'LEM_CAMPAIGN_ID=3f2a9c1b', '-e', 'LEM_CAMPAIGN_NAME=demo', '-e', 'LEM_CYCLE=1', '-e', 'LEM_TOTAL_CYCLES=2',
      IMAGE, 'lem', 'experiment', `/app/configs/_campaign_${name}.yaml`, '--yes', '--fresh',
    ];
  }

  it('writes its result to the mounted /app/results (no --results-dir), as the caller', async () => {
    const project = suite.project('harness');
    const since = Date.now() - 2000;
    const config = { config_name: 'vllm_fp16', backend: 'vllm', model_name: 'Qwen/Qwen2.5-0.5B', harness: { duration_seconds: 0.5 }, _metadata: { experiment_id: '0001', cycle_id: 1 } };
    const run = await capture(dockerRun(project, config, '0001'), { timeoutMs: 30_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Results saved: /app/results/aggregated/exp_');
    const found = await new ResultFinder(results).find('0001', { since });
    expect(found).not.toBeNull();
    expect(fs.statSync(found!).uid).toBe(process.getuid!());
    expect(await readMetrics(found!)).toMatchObject({ totalTokens: 12800, energyTrackingFailed: false });
  });

  it('a hanging experiment stops at once on SIGTERM (init, trap) with 143', async () => {
    const project = suite.project('harness-hang');
    const started = await capture(dockerRun(project, { harness: { hang: true } }, 'hang', true), { timeoutMs: 30_000 });
    expect(started.exitCode, started.stderr).toBe(0);
    const id = started.stdout.trim();
    for (let i = 0; i < 50; i += 1) {
      if ((await capture(['docker', 'logs', id])).stdout.includes('Loading model')) break;
      await sleep(100);
    }
    const t0 = Date.now();
    expect((await capture(['docker', 'stop', '-t', '10', id])).exitCode).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000); // not the 10 s of -t 10: generous, the engine may be busy
    expect((await capture(['docker', 'inspect', '-f', '{{.State.ExitCode}}', id])).stdout.trim()).toBe('143');
    await capture(['docker', 'rm', '-f', id]);
  });
});

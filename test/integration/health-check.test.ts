// health_check between experiments, persistent mode, real engine: a service
// over the GPU memory threshold is restarted (within max_restarts); one whose
// GPU memory cannot be read is said so once and left alone.
import { composeProjectName } from '../../source/compose/projectName.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineForTests, useDockerSuite } from '../helpers/docker.js';
import { campaignIdOf, parseNdjson, ROOT, runCli } from '../helpers/cli.js';

const engine = await engineForTests();
const dirs: string[] = [];

function healthCampaign(): { file: string; project: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-health-'));
  dirs.push(dir);
  fs.cpSync(path.join(ROOT, 'fixtures/health'), dir, { recursive: true });
  const name = `t-health-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  const file = path.join(dir, 'campaign.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^campaign_name: .*$/m, `campaign_name: ${name}`));
  return { file, dir, project: composeProjectName(campaignIdOf(name), path.join(dir, '.state')) };
}

describe.runIf(engine)('health check (real engine)', () => {
  useDockerSuite(); // builds the test image; the CLI's own project is checked below
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a service over the GPU memory threshold every interval, and reads an unreadable one once', async () => {
    const campaign = healthCampaign();
    const r = await runCli([campaign.file, '--json', '--yes', '--dispatch', 'docker'], {
      cwd: campaign.dir,
      env: { FAKE_GPU_USED_MB: '20000' }, // 81 % of 24 GiB, threshold 80 %
      timeoutMs: 180_000,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const notices = parseNdjson(r.stdout)
      .filter((e) => e.type === 'notice')
      .map((e) => String(e.message));
    // 4 experiments, a check every 2: two checks.
    expect(notices.filter((m) => m.startsWith('health check: pytorch holds 81 % of GPU memory (threshold 80 %)'))).toHaveLength(2);
    expect(notices).toContain('pytorch restarted after the health check (1/3)');
    expect(notices).toContain('pytorch restarted after the health check (2/3)');
    expect(notices.filter((m) => m.includes('GPU memory of vllm cannot be read'))).toHaveLength(1);
    expect(notices.some((m) => m.includes('vllm restarted'))).toBe(false);
    const finished = parseNdjson(r.stdout).find((e) => e.type === 'campaign.finished');
    expect(finished?.completed).toBe(4);
    const { capture } = await import('../../source/io/process/process.js');
    const left = await capture(['docker', 'ps', '-aq', '--filter', `label=com.docker.compose.project=${campaign.project}`]);
    expect(left.stdout.trim()).toBe('');
  }, 200_000);
});

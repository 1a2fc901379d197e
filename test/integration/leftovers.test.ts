// The start-up sweep against the real engine: what a dead run left behind.
import { describe, expect, it } from 'vitest';
import { capture } from '../../source/compose/process.js';
import { sweepLeftovers } from '../../source/compose/sweepLeftovers.js';
import { engineForTests, TEST_IMAGE, useDockerSuite } from '../helpers/docker.js';

const engine = await engineForTests();

async function container(project: string, name: string, labels: Record<string, string>, command: string[]): Promise<void> {
  const labelArgs = Object.entries({ 'com.docker.compose.project': project, ...labels }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const r = await capture(['docker', 'run', '-d', '--network', 'none', '--name', name, ...labelArgs, TEST_IMAGE, ...command]);
  expect(r.exitCode, r.stderr).toBe(0);
}

async function names(project: string): Promise<string[]> {
  const r = await capture(['docker', 'ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe.runIf(engine)('sweepLeftovers (real engine)', () => {
  const suite = useDockerSuite();

  it('removes one-off and stopped containers of the project, keeps running services and other projects', async () => {
    const project = suite.project('sweep');
    const other = suite.project('other');
    await container(project, `${project}-oneoff`, { 'com.docker.compose.oneoff': 'True', 'com.docker.compose.service': 'pytorch' }, ['sleep', '60']);
    await container(project, `${project}-stopped`, { 'com.docker.compose.service': 'vllm' }, ['true']);
    await container(project, `${project}-running`, { 'com.docker.compose.service': 'pytorch' }, ['sleep', '60']);
    await container(other, `${other}-oneoff`, { 'com.docker.compose.oneoff': 'True' }, ['sleep', '60']);
    // `true` must have exited before the sweep looks.
    for (let i = 0; i < 50; i += 1) {
      const s = await capture(['docker', 'inspect', '-f', '{{.State.Running}}', `${project}-stopped`]);
      if (s.stdout.trim() === 'false') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const swept = await sweepLeftovers(project);

    expect(swept.removed.sort()).toEqual([`${project}-oneoff`, `${project}-stopped`]);
    expect(swept.failed).toEqual([]);
    expect(await names(project)).toEqual([`${project}-running`]);
    expect(await names(other)).toEqual([`${other}-oneoff`]);
    await capture(['docker', 'rm', '-f', `${project}-running`, `${other}-oneoff`]);
  }, 60_000);
});

// The start-up sweep against the real engine: what a dead run left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineWatcher } from '../../source/compose/engineWatcher.js';
import { capture } from '../../source/io/process/process.js';
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
    // It removed some: its ps no longer says what is there, so the watcher must ask again.
    expect(swept.listing).toBeNull();
    expect(await names(project)).toEqual([`${project}-running`]);
    expect(await names(other)).toEqual([`${other}-oneoff`]);
    await capture(['docker', 'rm', '-f', `${project}-running`, `${other}-oneoff`]);
  }, 60_000);

  it("a sweep that removed nothing is the watcher's first look; the events since its ps are replayed", async () => {
    const project = suite.project('adopt');
    await container(project, `${project}-pytorch`, { 'com.docker.compose.service': 'pytorch' }, ['sleep', '60']);

    const swept = await sweepLeftovers(project);
    expect(swept.removed).toEqual([]);
    expect(swept.listing?.containers.map((c) => c.name)).toEqual([`${project}-pytorch`]);

    // A container started between the sweep and the watcher's start: the ps cannot know it, the replayed events do.
    await container(project, `${project}-vllm`, { 'com.docker.compose.service': 'vllm' }, ['sleep', '60']);
    const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lem-trace-')), 'trace.jsonl');
    const watcher = new EngineWatcher({ cli: 'docker', project });
    watcher.adopt(swept.listing!);
    process.env.LEM_TUI_TRACE = trace;
    try {
      await watcher.start();
      expect(watcher.state('pytorch')?.status).toBe('running');
      expect(await watcher.waitFor('vllm', (s) => s.status === 'running', 10_000)).not.toBeNull();
      const calls = fs.readFileSync(trace, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv);
      expect(calls.filter((argv) => argv[1] === 'ps')).toEqual([]);
    } finally {
      delete process.env.LEM_TUI_TRACE;
      await watcher.stop();
      await capture(['docker', 'rm', '-f', `${project}-pytorch`, `${project}-vllm`]);
    }
  }, 60_000);
});

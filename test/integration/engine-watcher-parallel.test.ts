// The engine watcher with one-off containers of one service side by side
// (ephemeral --gpus: a `run --rm` per GPU): the death of one does not make
// the service look exited while the other still runs. Real engine, real
// `docker events`.
import { describe, expect, it } from 'vitest';
import { EngineWatcher } from '../../source/compose/engineWatcher.js';
import { capture } from '../../source/io/process/process.js';
import { engineForTests, sleep, TEST_IMAGE, useDockerSuite } from '../helpers/docker.js';

const engine = await engineForTests();

async function oneOff(project: string, name: string): Promise<string> {
  const r = await capture([
    'docker', 'run', '-d', '--network', 'none', '--name', name,
    '--label', `com.docker.compose.project=${project}`,
    '--label', 'com.docker.compose.service=pytorch',
    '--label', 'com.docker.compose.oneoff=True',
    TEST_IMAGE, 'sleep', '60',
  ]);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe.runIf(engine)('engine watcher, two one-off containers of one service', () => {
  const suite = useDockerSuite();

  it('one killed while the other runs: the service stays running, on the other container; both gone: exited', async () => {
    const project = suite.project('watch-par');
    const watcher = new EngineWatcher({ cli: 'docker', project, reconcileMs: 60_000 });
    await watcher.start();
    const made: string[] = [];
    try {
      const first = await oneOff(project, `${project}-run-0001-1-gpu0`);
      const second = await oneOff(project, `${project}-run-0002-1-gpu1`);
      made.push(first, second);
      expect(await watcher.waitFor('pytorch', (s) => s.status === 'running' && s.containerId === second, 10_000)).not.toBeNull();
      await capture(['docker', 'kill', second]);
      await sleep(1500); // the die event has arrived
      expect(watcher.state('pytorch')).toMatchObject({ status: 'running', containerId: first });
      await capture(['docker', 'kill', first]);
      expect(await watcher.waitFor('pytorch', (s) => s.status === 'exited', 10_000)).toMatchObject({ containerId: first, lastExitCode: 137 });
    } finally {
      await watcher.stop();
      if (made.length) await capture(['docker', 'rm', '-f', ...made]); // what `run --rm` would remove
    }
  }, 60_000);
});

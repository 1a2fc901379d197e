// The dry run's flavour guess, with PATH pointing at a folder of stand-in commands.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guessFlavour } from '../../source/compose/flavour.js';

const dirs: string[] = [];
function pathWith(commands: Record<string, string>): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-flavour-'));
  dirs.push(dir);
  for (const [name, script] of Object.entries(commands)) {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  }
  return { PATH: dir };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('guessFlavour', () => {
  it('takes v2 when `docker compose version` answers', async () => {
    const env = pathWith({ docker: '[ "$1" = compose ] && echo "Docker Compose version v2.29.0"', 'docker-compose': 'exit 1' });
    expect((await guessFlavour(env))?.flavour).toBe('v2');
  });

  it('finds v1 on PATH without running it (a Python start costs ~0.75 s)', async () => {
    const marker = path.join(os.tmpdir(), `lem-flavour-ran-${process.pid}`);
    const env = pathWith({ docker: 'echo "unknown command: docker compose" >&2; exit 1', 'docker-compose': `touch ${marker}` });
    expect(await guessFlavour(env)).toEqual({ flavour: 'v1', command: ['docker-compose'], version: null });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('falls back to podman, then to nothing', async () => {
    expect((await guessFlavour(pathWith({ podman: 'exit 0' })))?.command).toEqual(['podman', 'compose']);
    expect(await guessFlavour(pathWith({}))).toBeNull();
  });
});

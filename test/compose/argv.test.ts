import { describe, expect, it } from 'vitest';
import {
  composeArgv,
  downArgv,
  envFlags,
  ephemeralContainerName,
  ephemeralRunArgv,
  eventsArgv,
  execArgv,
  maskSecrets,
  psArgv,
  secretEnv,
  upArgv,
} from '../../source/compose/argv.js';
import { composeTarget, parseComposeCommand } from '../../source/compose/flavour.js';
import type { DispatchRequest } from '../../source/domain/runRequest.js';

const v2 = composeTarget('docker compose', 'lem-abc', ['/c/docker-compose.yml', '/s/override.yml']);
const v1 = composeTarget('docker-compose', 'lem-abc', ['/c/docker-compose.yml']);
const req: DispatchRequest = {
  expId: 'cfg-a_c1',
  service: 'pytorch',
  argv: ['lem', 'experiment', '/app/configs/_campaign_0001.yaml', '--yes', '--fresh'],
  env: { LEM_CYCLE: '1', HF_TOKEN: 'hf_secret', LLM_ENERGY_VERBOSITY: 'normal' },
  secretKeys: ['HF_TOKEN'],
  timeoutMs: 0,
  inactivityMs: 0,
  stuckMs: 0,
};

describe('compose argv', () => {
  it('always passes -p and every -f, in order', () => {
    expect(composeArgv(v2, 'ps')).toEqual([
      'docker', 'compose', '-p', 'lem-abc', '-f', '/c/docker-compose.yml', '-f', '/s/override.yml', 'ps',
    ]);
    expect(composeArgv(v1, 'ps').slice(0, 3)).toEqual(['docker-compose', '-p', 'lem-abc']);
  });

  it('up -d the services', () => {
    expect(upArgv(v1, ['pytorch', 'vllm'])).toEqual([
      'docker-compose', '-p', 'lem-abc', '-f', '/c/docker-compose.yml', 'up', '-d', 'pytorch', 'vllm',
    ]);
  });

  it('exec is -T, then -e per variable, then service and argv; a secret goes as a bare -e KEY', () => {
    expect(execArgv(v1, req).slice(5)).toEqual([
      'exec', '-T', '-e', 'LEM_CYCLE=1', '-e', 'HF_TOKEN', '-e', 'LLM_ENERGY_VERBOSITY=normal',
      'pytorch', 'lem', 'experiment', '/app/configs/_campaign_0001.yaml', '--yes', '--fresh',
    ]);
    expect(execArgv(v1, req).join(' ')).not.toContain('hf_secret');
    expect(secretEnv(req)).toEqual({ HF_TOKEN: 'hf_secret' });
  });

  it('run --rm -T --name <name>', () => {
    const argv = ephemeralRunArgv(v2, req, 'lem-abc-run-cfg-a_c1-1');
    expect(argv.slice(8, 14)).toEqual(['run', '--rm', '-T', '--name', 'lem-abc-run-cfg-a_c1-1', '-e']);
    expect(argv.slice(-6)).toEqual(['pytorch', 'lem', 'experiment', '/app/configs/_campaign_0001.yaml', '--yes', '--fresh']);
  });

  it('down never removes volumes', () => {
    const argv = downArgv(v1, 2);
    expect(argv.slice(-4)).toEqual(['down', '--remove-orphans', '-t', '2']);
    expect(argv).not.toContain('-v');
    expect(argv).not.toContain('--volumes');
  });

  it('engine argv filter by the project label', () => {
    expect(psArgv('docker', 'p1')).toEqual([
      'docker', 'ps', '-a', '--no-trunc', '--filter', 'label=com.docker.compose.project=p1', '--format', '{{json .}}',
    ]);
    expect(eventsArgv('docker', 'p1')).toContain('label=com.docker.compose.project=p1');
  });
});

describe('maskSecrets', () => {
  it('masks K=V and bare -e K alike', () => {
    expect(maskSecrets(['-e', 'HF_TOKEN=abc', '-e', 'HF_TOKEN', '-e', 'A=1'], ['HF_TOKEN'])).toEqual([
      '-e', 'HF_TOKEN=***', '-e', 'HF_TOKEN=***', '-e', 'A=1',
    ]);
  });
  it('leaves a positional word equal to a key alone', () => {
    expect(maskSecrets(['echo', 'HF_TOKEN'], ['HF_TOKEN'])).toEqual(['echo', 'HF_TOKEN']);
  });
  it('masks env-style assignments (local describe)', () => {
    expect(maskSecrets(['env', 'HF_TOKEN=abc', 'lem'], ['HF_TOKEN'])).toEqual(['env', 'HF_TOKEN=***', 'lem']);
  });
  it('masks a full exec argv', () => {
    const shown = maskSecrets(execArgv(v1, req), req.secretKeys).join(' ');
    expect(shown).toContain('-e HF_TOKEN=***');
    expect(shown).not.toContain('hf_secret');
  });
});

describe('envFlags', () => {
  it('keeps insertion order', () => {
    expect(envFlags({ B: '2', A: '1' })).toEqual(['-e', 'B=2', '-e', 'A=1']);
  });
});

describe('ephemeralContainerName', () => {
  it('is a valid, predictable docker name', () => {
    expect(ephemeralContainerName('lem-abc', 'cfg-a_c1', 2)).toBe('lem-abc-run-cfg-a_c1-2');
    const odd = ephemeralContainerName('lem-abc', '../weird id/ü', 1);
    expect(odd).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
    expect(ephemeralContainerName('p', 'x'.repeat(300), 1).length).toBeLessThan(100);
  });
});

describe('flavour', () => {
  it('parses explicit compose commands', () => {
    expect(parseComposeCommand('docker compose')).toMatchObject({ flavour: 'v2', command: ['docker', 'compose'] });
    expect(parseComposeCommand('/usr/bin/docker-compose')).toMatchObject({ flavour: 'v1' });
    expect(parseComposeCommand(' podman  compose ')).toMatchObject({ flavour: 'podman', command: ['podman', 'compose'] });
    expect(() => parseComposeCommand('  ')).toThrow();
  });
});

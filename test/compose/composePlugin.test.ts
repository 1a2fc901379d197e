// Finding the compose plugin binary the docker CLI would run, and spawning it in place of `docker compose`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composePluginCandidates, findComposePlugin } from '../../source/compose/composePlugin.js';
import { launchArgv, launchComposeVia } from '../../source/io/process/launch.js';

describe('composePluginCandidates', () => {
  it("the docker CLI's order: the config folder, the configured extra folders, the system folders", () => {
    expect(composePluginCandidates('/home/u/.docker', { cliPluginsExtraDirs: ['/Applications/Docker.app/Contents/Resources/cli-plugins', 7, ''] })).toEqual([
      '/home/u/.docker/cli-plugins/docker-compose',
      '/Applications/Docker.app/Contents/Resources/cli-plugins/docker-compose',
      '/usr/local/lib/docker/cli-plugins/docker-compose',
      '/usr/local/libexec/docker/cli-plugins/docker-compose',
      '/usr/lib/docker/cli-plugins/docker-compose',
      '/usr/libexec/docker/cli-plugins/docker-compose',
    ]);
    expect(composePluginCandidates('/c', null)[0]).toBe('/c/cli-plugins/docker-compose');
  });
});

describe('findComposePlugin', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const configDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-dockercfg-'));
    made.push(d);
    return d;
  };
  const plugin = (dir: string, mode = 0o755) => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'docker-compose');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode });
    return file;
  };

  it("takes the user's own plugin first, then a configured extra folder; skips one that is not executable", () => {
    const cfg = configDir();
    const extra = plugin(path.join(cfg, 'extra'));
    fs.writeFileSync(path.join(cfg, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [path.join(cfg, 'extra')] }));
    expect(findComposePlugin({ DOCKER_CONFIG: cfg })).toBe(extra);
    const own = plugin(path.join(cfg, 'cli-plugins'));
    expect(findComposePlugin({ DOCKER_CONFIG: cfg })).toBe(own);
    fs.chmodSync(own, 0o644);
    expect(findComposePlugin({ DOCKER_CONFIG: cfg })).toBe(extra);
  });

  it('a broken config.json still leaves the default folders', () => {
    const cfg = configDir();
    fs.writeFileSync(path.join(cfg, 'config.json'), '{ not json');
    const own = plugin(path.join(cfg, 'cli-plugins'));
    expect(findComposePlugin({ DOCKER_CONFIG: cfg })).toBe(own);
  });
});

describe('launchArgv', () => {
  afterEach(() => launchComposeVia(null));

  it('spawns `docker compose …` as the plugin binary once one is set, and nothing else', () => {
    const argv = ['docker', 'compose', '-p', 'p', 'run', '--rm', 'pytorch'];
    expect(launchArgv(argv)).toEqual(argv);
    launchComposeVia('/usr/libexec/docker/cli-plugins/docker-compose');
    expect(launchArgv(argv)).toEqual(['/usr/libexec/docker/cli-plugins/docker-compose', '-p', 'p', 'run', '--rm', 'pytorch']);
    expect(launchArgv(['docker', 'ps', '-a'])).toEqual(['docker', 'ps', '-a']);
    expect(launchArgv(['docker-compose', 'up'])).toEqual(['docker-compose', 'up']);
    expect(launchArgv(['sh', '-c', 'docker compose up'])).toEqual(['sh', '-c', 'docker compose up']);
  });
});

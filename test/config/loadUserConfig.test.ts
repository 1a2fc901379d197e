import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultUserConfig, loadUserConfig } from '../../source/config/loadUserConfig.js';
import { issuesOf, tempDir, writeFiles } from './helpers.js';

const DEFAULTS = {
  thermal_gaps: {},
  docker: { warmup_delay: 0, auto_teardown: true },
  notifications: { webhook_url: null, on_complete: true, on_failure: true },
  runner: {},
};

async function withUserConfig(content: string) {
  const cwd = await tempDir();
  await writeFiles(cwd, { '.lem-config.yaml': content });
  return { cwd, loaded: await loadUserConfig(cwd) };
}
async function errorsOf(content: string) {
  const cwd = await tempDir();
  await writeFiles(cwd, { '.lem-config.yaml': content });
  return issuesOf(loadUserConfig(cwd));
}

describe('loadUserConfig', () => {
  it('no file: all defaults, path null', async () => {
    const cwd = await tempDir();
    expect(await loadUserConfig(cwd)).toStrictEqual({ config: DEFAULTS, path: null, warnings: [], locate: null });
    expect(defaultUserConfig()).toStrictEqual(DEFAULTS);
  });

  it('an empty or all-commented file: all defaults (as llenergymeasure reads it)', async () => {
    const { cwd, loaded } = await withUserConfig('# docker:\n#   strategy: persistent\n');
    expect(loaded).toStrictEqual({ config: DEFAULTS, path: path.join(cwd, '.lem-config.yaml'), warnings: [], locate: expect.any(Function) });
  });

  it('reads every documented field', async () => {
    const { loaded } = await withUserConfig(`thermal_gaps: {between_experiments: 12.5, between_cycles: 0}
docker:
  strategy: persistent
  warmup_delay: 2.5
  auto_teardown: false
  compose_command: docker-compose
notifications: {webhook_url: "https://example.org/hook", on_complete: false, on_failure: false}
results_dir: out
runner: {lem_command: my-lem, max_retries: 2}
`);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config).toStrictEqual({
      thermal_gaps: { between_experiments: 12.5, between_cycles: 0 },
      docker: { strategy: 'persistent', warmup_delay: 2.5, auto_teardown: false, compose_command: 'docker-compose' },
      notifications: { webhook_url: 'https://example.org/hook', on_complete: false, on_failure: false },
      results_dir: 'out',
      runner: { lem_command: 'my-lem', max_retries: 2 },
    });
  });

  it('webhook_url may be null', async () => {
    const { loaded } = await withUserConfig('notifications: {webhook_url: null}\n');
    expect(loaded.config.notifications.webhook_url).toBeNull();
  });

  it.each(['example.org', 'https:// test', '""', 'ftp://example.org/hook'])(
    'a webhook_url that is not http(s) (%s) is a warning, not an error: notifications are off',
    async (url) => {
      const { loaded } = await withUserConfig(`notifications:\n  on_complete: true\n  webhook_url: ${url}\n`);
      const shown = JSON.stringify(url === '""' ? '' : url);
      expect(loaded.warnings).toEqual([
        `.lem-config.yaml:3:16 notifications.webhook_url: not an http:// or https:// URL (${shown}): notifications are off`,
      ]);
      expect(loaded.config.notifications).toStrictEqual({ webhook_url: null, on_complete: true, on_failure: true });
    },
  );

  it.each(['quiet', 'normal', 'verbose'])('verbosity: %s (llenergymeasure\'s values) is read, no warning', async (value) => {
    const { loaded } = await withUserConfig(`verbosity: ${value}\n`);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.verbosity).toBe(value);
  });

  it('verbosity: another value is an error at its place', async () => {
    expect(await errorsOf('verbosity: loud\n')).toEqual([
      '.lem-config.yaml:1:12 verbosity: expected one of quiet, normal, verbose, got "loud"',
    ]);
  });

  it.each([
    ['thermal_gaps', 'between_experiments', '-1', 'expected a number >= 0, got -1'],
    ['thermal_gaps', 'between_cycles', 'long', 'expected a number >= 0, got "long"'],
    ['docker', 'strategy', 'swarm', 'expected one of ephemeral, persistent, got "swarm"'],
    ['docker', 'warmup_delay', '-2', 'expected a number >= 0, got -2'],
    ['docker', 'auto_teardown', '0', 'expected true or false, got 0'],
    ['docker', 'compose_command', '""', 'expected a non-empty string, got ""'],
    ['notifications', 'webhook_url', '5', 'expected a string, got 5'],
    ['notifications', 'on_complete', 'sure', 'expected true or false, got "sure"'],
    ['notifications', 'on_failure', '[]', 'expected true or false, got an empty list'],
    ['runner', 'container_strategy', 'local', 'expected one of ephemeral, persistent, got "local"'],
    ['runner', 'stop_grace_seconds', '-1', 'expected a number from 0 to 300, got -1'],
  ])('%s.%s: %s', async (section, key, value, message) => {
    const column = 2 + key.length + 2 + 1;
    expect(await errorsOf(`${section}:\n  ${key}: ${value}\n`)).toEqual([`.lem-config.yaml:2:${column} ${section}.${key}: ${message}`]);
  });

  it('results_dir and sections have types too; all errors together', async () => {
    expect(await errorsOf('results_dir: 5\ndocker: persistent\nnotifications:\n  on_complete: maybe\n')).toEqual([
      '.lem-config.yaml:1:14 results_dir: expected a non-empty string, got 5',
      '.lem-config.yaml:2:9 docker: expected a mapping, got "persistent"',
      '.lem-config.yaml:4:16 notifications.on_complete: expected true or false, got "maybe"',
    ]);
  });

  it('unknown keys are warnings', async () => {
    const { loaded } = await withUserConfig('docker:\n  stratgy: persistent\nverbose: true\n');
    expect(loaded.warnings).toEqual([
      '.lem-config.yaml:2:3 docker.stratgy: unknown key, ignored (did you mean strategy?)',
      '.lem-config.yaml:3:1 verbose: unknown key, ignored',
    ]);
    expect(loaded.config.docker.strategy).toBeUndefined();
  });

  it('malformed YAML is an error', async () => {
    expect(await errorsOf('docker:\n\tstrategy: persistent\n')).toEqual([
      '.lem-config.yaml:2:1: tab used for indentation: YAML indents with spaces',
    ]);
    expect(await errorsOf('- a\n')).toEqual(['.lem-config.yaml:1:1: expected a mapping at the top level, got a list']);
  });

  it('a folder in its place is an error', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, '.lem-config.yaml'));
    expect(await issuesOf(loadUserConfig(cwd))).toEqual(['.lem-config.yaml: is a directory, expected a YAML file']);
  });
});

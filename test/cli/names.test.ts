// A name is data, never YAML or extra output lines: a campaign_name or
// config_name with a newline (or another control character) is refused
// with its position before anything runs, through the built CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEM, makeCampaign, removeCampaignDirs, runCli, snapshotTree } from '../helpers/cli.js';

afterAll(() => removeCampaignDirs());

describe('lem-tui CLI: names with control characters', () => {
  it('a campaign_name that would inject YAML into every experiment config: exit 2 at its position, nothing run', async () => {
    const c = makeCampaign('basic.yaml', 'inject');
    const text = fs.readFileSync(c.file, 'utf8').replace(/^campaign_name: .*$/m, 'campaign_name: "nl\\nharness: {fail: true}\\n#"');
    fs.writeFileSync(c.file, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('campaign_name:')) + 1;
    const before = snapshotTree(c.dir);
    const r = await runCli([c.file, '--dispatch', 'local', '--lem-command', LEM, '--no-tui', '--yes'], { cwd: c.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      `${path.basename(c.file)}:${line}:16 campaign_name: expected a name without newlines or other control characters, got "nl\\nharness: {fail: true}\\n#"`,
    );
    expect(r.stdout).toBe('');
    expect(snapshotTree(c.dir)).toEqual(before);
  });

  it('a config_name with a tab in it: exit 2 at its position in the config file', async () => {
    const c = makeCampaign('basic.yaml', 'tabname');
    const config = path.join(c.dir, 'configs/pytorch_quick.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^config_name: .*$/m, 'config_name: "a\\tb"'));
    const r = await runCli([c.file, '--dry-run'], { cwd: c.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/configs\/pytorch_quick\.yaml:2:14 config_name: expected a name without newlines or other control characters/);
  });
});

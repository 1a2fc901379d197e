// The key table has one source (source/ui/keymap.ts); the README shows it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keymapMarkdown } from '../../source/ui/keymap.js';
import { HELP } from '../../source/cliFlags.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('shows the key table exactly as the keymap renders it', () => {
    expect(readme).toContain(keymapMarkdown().trim());
  });

  it('documents every flag of --help', () => {
    const flags = [...HELP.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!);
    expect(flags.length).toBeGreaterThan(10);
    for (const flag of new Set(flags)) expect(readme, `--${flag}`).toContain(`--${flag}`);
  });

  it('gives the demo and test commands that package.json defines', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm install && npm test');
    expect(pkg.scripts.demo).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
    expect(fs.readFileSync(path.join(root, '.ci/run'), 'utf8')).toContain('npm test');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeProjectName } from '../../source/compose/projectName.js';

describe('composeProjectName: one project per campaign folder', () => {
  it('lem-<campaign id>-<6 hex of the state folder>, a valid compose project name', () => {
    const name = composeProjectName('39f67013', '/repo/.state');
    expect(name).toMatch(/^lem-39f67013-[0-9a-f]{6}$/);
    expect(composeProjectName('39f67013', '/repo/.state')).toBe(name); // stable
  });

  it('two folders with the same campaign give two projects', () => {
    expect(composeProjectName('39f67013', '/a/.state')).not.toBe(composeProjectName('39f67013', '/b/.state'));
  });

  it('the same folder through a symlink, before and after it exists, gives the same project', () => {
    const real = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-proj-'));
    const link = `${real}-link`;
    fs.symlinkSync(real, link);
    try {
      const before = composeProjectName('00000000', path.join(link, '.state'));
      fs.mkdirSync(path.join(real, '.state'));
      expect(composeProjectName('00000000', path.join(real, '.state'))).toBe(before);
      expect(composeProjectName('00000000', path.join(link, '.state'))).toBe(before);
    } finally {
      fs.rmSync(link);
      fs.rmSync(real, { recursive: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { searchComposeFiles } from '../../source/config/composeFileSearch.js';

const search = (files: string[], env: NodeJS.ProcessEnv = {}, cwd = '/repo', campaignDir = '/repo/configs/examples') =>
  searchComposeFiles({ cwd, campaignDir, env, exists: (f) => files.includes(f) });

describe('searchComposeFiles: as docker compose finds the file', () => {
  it("llenergymeasure's layout: the campaign in configs/examples/, the file at the root where the user runs", () => {
    expect(search(['/repo/docker-compose.yml', '/repo/configs/examples/docker-compose.yml'])).toMatchObject({
      files: ['/repo/docker-compose.yml'],
      origin: 'cwd',
    });
  });

  it("takes compose's order within a folder: compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml", () => {
    const all = ['/repo/compose.yaml', '/repo/compose.yml', '/repo/docker-compose.yaml', '/repo/docker-compose.yml'];
    for (let i = 0; i < all.length; i += 1) expect(search(all.slice(i)).files).toEqual([all[i]]);
  });

  it('walks up from the current directory to the first folder that has one', () => {
    const r = search(['/docker-compose.yml', '/repo/compose.yml'], {}, '/repo/a/b');
    expect(r).toMatchObject({ files: ['/repo/compose.yml'], origin: 'parent' });
    expect(r.reason).toContain('/repo, a parent of the current directory');
  });

  it('COMPOSE_FILE wins, relative to the current directory, split on ":" or COMPOSE_PATH_SEPARATOR', () => {
    expect(search(['/repo/docker-compose.yml'], { COMPOSE_FILE: 'a.yml:/etc/b.yml' })).toEqual({
      files: ['/repo/a.yml', '/etc/b.yml'],
      origin: 'env',
      reason: 'from COMPOSE_FILE',
    });
    expect(search([], { COMPOSE_FILE: 'a.yml;b.yml', COMPOSE_PATH_SEPARATOR: ';' }).files).toEqual(['/repo/a.yml', '/repo/b.yml']);
    expect(search(['/repo/compose.yaml'], { COMPOSE_FILE: '  ' }).origin).toBe('cwd');
  });

  it("falls back to the campaign's folder, then says nothing was found and where it looked", () => {
    expect(search(['/repo/configs/examples/compose.yaml'], {}, '/elsewhere')).toMatchObject({
      files: ['/repo/configs/examples/compose.yaml'],
      origin: 'campaign-dir',
    });
    const none = search([], {}, '/elsewhere');
    expect(none).toMatchObject({ files: [], origin: 'none' });
    expect(none.reason).toContain('compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml');
  });
});

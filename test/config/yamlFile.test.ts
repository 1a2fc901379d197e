import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readYamlFile } from '../../source/config/yamlFile.js';
import { issuesOf, tempDir, writeFiles } from './helpers.js';

async function read(content: string | Buffer, options: { allowEmpty?: boolean; maxBytes?: number } = {}) {
  const cwd = await tempDir();
  await writeFiles(cwd, { 'f.yaml': content });
  return readYamlFile('f.yaml', { cwd, ...options });
}
const refused = async (content: string | Buffer, options = {}) => issuesOf(read(content, options));

describe('readYamlFile: what it reads', () => {
  it('returns the top-level mapping, the bytes and the display path', async () => {
    const file = await read('a: 1\nb: [x, y]\n');
    expect(file.value).toEqual({ a: 1, b: ['x', 'y'] });
    expect(file.displayPath).toBe('f.yaml');
    expect(file.bytes.toString()).toBe('a: 1\nb: [x, y]\n');
  });

  it('reads YAML 1.2: times and yes/no stay strings; merge keys work as in PyYAML', async () => {
    const file = await read('at: 03:00\nflag: yes\nbase: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n');
    expect(file.value).toEqual({ at: '03:00', flag: 'yes', base: { x: 1 }, c: { x: 1, y: 2 } });
  });

  it('accepts a leading --- and a BOM', async () => {
    expect((await read('---\na: 1\n')).value).toEqual({ a: 1 });
    expect((await read('\uFEFFa: 1\n')).value).toEqual({ a: 1 });
  });

  it('locates values, keys, list items, and the parent mapping of a missing key', async () => {
    const file = await read('name: x\nexecution:\n  cycles: 0\nconfigs:\n  - a.yaml\n  - b.yaml\nempty:\n');
    expect(file.locate(['execution', 'cycles'])).toEqual({ line: 3, column: 11 });
    expect(file.locate(['execution', 'cycles'], 'key')).toEqual({ line: 3, column: 3 });
    expect(file.locate(['configs', 1])).toEqual({ line: 6, column: 5 });
    expect(file.locate(['execution', 'missing'])).toEqual({ line: 3, column: 3 });
    expect(file.locate(['missing'])).toEqual({ line: 1, column: 1 });
    expect(file.locate(['empty'])).toEqual({ line: 7, column: 1 });
    expect(file.issueAt(['configs', 1], 'boom')).toEqual({ file: 'f.yaml', line: 6, column: 5, path: 'configs[1]', message: 'boom' });
  });

  it('reads an empty file as {} when allowed', async () => {
    expect((await read('# only a comment\n', { allowEmpty: true })).value).toEqual({});
    expect((await read('', { allowEmpty: true })).value).toEqual({});
  });

  it('passes yaml warnings on (an unknown tag)', async () => {
    const file = await read('a: !!python/object:foo 1\n');
    expect(file.warnings).toEqual([
      { file: 'f.yaml', line: 1, column: 4, message: 'Unresolved tag: tag:yaml.org,2002:python/object:foo' },
    ]);
  });
});

describe('readYamlFile: what it refuses', () => {
  it('a missing file', async () => {
    const cwd = await tempDir();
    expect(await issuesOf(readYamlFile('nope.yaml', { cwd }))).toEqual(['nope.yaml: file not found']);
  });

  it('a directory', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'configs'));
    expect(await issuesOf(readYamlFile('configs', { cwd }))).toEqual(['configs: is a directory, expected a YAML file']);
  });

  it('a file over the size cap (2 MB), without reading it', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    expect(await refused(big)).toEqual(['f.yaml: file is 2 MiB, over the 1 MiB limit']);
    expect(await refused('a: 12345\n', { maxBytes: 4 })).toEqual(['f.yaml: file is 9 bytes, over the 4 bytes limit']);
  });

  it('bytes that are not UTF-8, at the first bad byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('a: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(await refused(latin1)).toEqual(['f.yaml:2:10: not UTF-8 text (byte 0xe9): save the file as UTF-8']);
    const binary = Buffer.from([0x00, 0xff, 0xfe]);
    expect(await refused(binary)).toEqual(['f.yaml:1:2: not UTF-8 text (byte 0xff): save the file as UTF-8']);
  });

  it('an empty file, or only comments', async () => {
    expect(await refused('')).toEqual(['f.yaml: file is empty']);
    expect(await refused('\n   \n')).toEqual(['f.yaml: file is empty']);
    expect(await refused('# a: 1\n# b: 2\n')).toEqual(['f.yaml: file has only comments, expected a mapping']);
    expect(await refused('---\n')).toEqual(['f.yaml: file has only comments, expected a mapping']);
  });

  it('tab indentation, every one', async () => {
    expect(await refused('a:\n\tb: 1\nc:\n\td: 2\n')).toEqual([
      'f.yaml:2:1: tab used for indentation: YAML indents with spaces',
      'f.yaml:4:1: tab used for indentation: YAML indents with spaces',
    ]);
  });

  it('duplicate keys, at any depth', async () => {
    expect(await refused('a: 1\nb:\n  x: 1\n  x: 2\na: 3\n')).toEqual([
      'f.yaml:4:3: duplicate key "x" (first at line 3)',
      'f.yaml:5:1: duplicate key "a" (first at line 1)',
    ]);
  });

  it('YAML syntax errors', async () => {
    expect(await refused('a: [1, 2\nb: 3\n')).toEqual([
      'f.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(await refused('a: b: c\n')).toEqual([
      'f.yaml:1:4: invalid YAML: Nested mappings are not allowed in compact mappings',
    ]);
  });

  it('an alias bomb (billion laughs): fast, and refused', async () => {
    const names = 'abcdefghij';
    let src = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < names.length; i++) {
      src += `${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(',')}]\n`;
    }
    const started = Date.now();
    expect(await refused(src)).toEqual(['f.yaml:2:8: more than 100 alias expansions: refusing a possible alias bomb']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an alias without an anchor, and a cyclic alias', async () => {
    expect(await refused('a: *nothing\n')).toEqual(['f.yaml:1:4: alias *nothing has no anchor &nothing before it']);
    expect(await refused('a: &x\n  b: *x\n')).toEqual(['f.yaml:2:6: alias *x is inside the node it refers to (a cycle)']);
  });

  it('deeply nested flow collections, before yaml recurses into them', async () => {
    const started = Date.now();
    expect(await refused(`a: ${'['.repeat(300_000)}${']'.repeat(300_000)}\n`)).toEqual([
      'f.yaml:1:104: nested deeper than 100 levels: refusing the file',
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
    // Brackets in comments do not count; 100 levels are still read.
    const comments = '# [[[[[[[[[[\n'.repeat(200);
    expect((await read(`${comments}a: ${'['.repeat(100)}${']'.repeat(100)}\n`)).value).toHaveProperty('a');
  });

  it('deeply nested blocks that overflow the parser', async () => {
    let src = '';
    for (let i = 0; i < 1400; i++) src += `${' '.repeat(i)}k:\n`;
    const issues = await refused(src);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^f\.yaml:\d+:\d+: nested too deeply to read$/);
  });

  it('more than one document', async () => {
    expect(await refused('a: 1\n---\nb: 2\n')).toEqual(['f.yaml:2:1: a second YAML document starts here: expected exactly one']);
  });

  it('a top level that is not a mapping', async () => {
    expect(await refused('- a\n- b\n')).toEqual(['f.yaml:1:1: expected a mapping at the top level, got a list']);
    expect(await refused('just text\n')).toEqual(['f.yaml:1:1: expected a mapping at the top level, got "just text"']);
    expect(await refused('42\n')).toEqual(['f.yaml:1:1: expected a mapping at the top level, got 42']);
  });

  it('reports every problem of the file together', async () => {
    expect(await refused('a: 1\na: 2\nb:\n\tc: 1\n')).toEqual([
      'f.yaml:2:1: duplicate key "a" (first at line 1)',
      'f.yaml:4:1: tab used for indentation: YAML indents with spaces',
    ]);
  });
});

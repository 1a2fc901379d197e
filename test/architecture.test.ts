// The shape rules of issues 12 and 26, checked on every run so they stay
// true: small files and functions; the rooms' "may import" table
// (test/architectureRules.ts) checked entirely, with no cycle between rooms,
// and source/README.md showing the same table; only io/process/ starts
// programs, nvidia-smi is a command in io/nvidia/ only and only io/slurm/
// names Slurm's commands; the io/ rooms' pure files stay pure; no dead code;
// no Proxy; no dispatcher kind checks outside the dispatcher layer.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KNOWN_ROOM_CYCLES, MAY_IMPORT } from './architectureRules.js';
import { exportsOf, functionsOf, importsOf, readSourceFiles, roomOf, type SourceFile } from './helpers/sourceFiles.js';
import { readmeMayImport, roomCycles } from './helpers/roomTable.js';
import { commandLiterals } from './helpers/commandLiterals.js';

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

const files = readSourceFiles();
const rooms = new Set(files.flatMap((f) => (f.room ? [f.room] : [])));
/** Every import from one room into another: "from → to" with the imports that make it. */
const arrows = new Map<string, string[]>();
for (const f of files) {
  for (const i of importsOf(f).filter((i) => i.relative)) {
    const to = roomOf(i.target);
    const arrow = `${f.room} → ${to}`;
    if (f.room && to && to !== f.room) arrows.set(arrow, [...(arrows.get(arrow) ?? []), `${f.file} → ${i.target}`]);
  }
}
/** The text of every string literal of a file (plain, or a template without substitutions). */
const stringsOf = (f: SourceFile): string[] => {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(f.ast);
  return found;
};
/** A file whose header comment (its first lines of //) says it is Pure. */
const saysPure = (f: SourceFile) => /\bPure\b/.test((/^(\/\/.*\n)+/.exec(f.text) ?? [''])[0]);
/** A row's arrows that name rooms existing today (a row may name one still to come). */
const existingArrows = (room: string) => (MAY_IMPORT[room] ?? []).filter((to) => rooms.has(to));

describe('architecture', () => {
  it(`no file in source/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = files.map((f) => ({ file: f.file, lines: f.text.split('\n').length })).filter((f) => f.lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((f) => functionsOf(f).filter((fn) => fn.lines > MAX_FUNCTION_LINES).map((fn) => `${f.file}:${fn.line} ${fn.name} (${fn.lines})`));
    expect(long).toEqual([]);
  });

  it('no Proxy', () => {
    expect(files.filter((f) => /\bnew Proxy\b/.test(f.text)).map((f) => f.file)).toEqual([]);
  });

  it('nothing outside the dispatcher layer asks which dispatcher it holds', () => {
    const layer = ['compose', 'dispatch'];
    const asking = files.filter((f) => !layer.includes(f.room ?? '') && /dispatcher\??\.kind\b/.test(f.text)).map((f) => f.file);
    expect(asking).toEqual([]);
  });
});

describe('the rooms and the "may import" table (test/architectureRules.ts)', () => {
  it('every room of source/ has a row, and every arrow names a row', () => {
    expect([...rooms].filter((room) => !(room in MAY_IMPORT))).toEqual([]);
    const unknown = Object.entries(MAY_IMPORT).flatMap(([room, to]) => to.filter((t) => !(t in MAY_IMPORT) || t === room).map((t) => `${room} → ${t}`));
    expect(unknown).toEqual([]);
  });

  it('every import from one room into another is an arrow of the table', () => {
    const offTable = [...arrows].filter(([arrow]) => {
      const [from, to] = arrow.split(' → ') as [string, string];
      return !MAY_IMPORT[from]!.includes(to);
    });
    expect(Object.fromEntries(offTable)).toEqual({});
  });

  it('every arrow of the table between rooms that exist is used (the table stays true)', () => {
    const unused = [...rooms].flatMap((room) => existingArrows(room).map((to) => `${room} → ${to}`)).filter((arrow) => !arrows.has(arrow));
    expect(unused).toEqual([]);
  });

  it('the cycle finder finds cycles (a check of the check)', () => {
    expect(roomCycles(['a → b', 'b → c', 'c → a', 'c → d', 'd → e', 'e → d', 'f → a'])).toEqual([['d', 'e'], ['a', 'b', 'c']]);
    expect(roomCycles(['a → b', 'b → c', 'a → c'])).toEqual([]);
  });

  it('no import cycle between rooms, but the known ones', () => {
    const cycles = roomCycles([...arrows.keys()].filter((arrow) => !KNOWN_ROOM_CYCLES.includes(arrow)));
    expect(cycles).toEqual([]);
  });

  it("source/README.md's folders table shows every room and the same arrows", () => {
    const readme = readmeMayImport();
    expect([...readme.keys()].filter((room) => rooms.has(room)).sort()).toEqual([...rooms].sort());
    for (const room of rooms) expect(readme.get(room)?.filter((to) => rooms.has(to)).sort(), room).toEqual([...existingArrows(room)].sort());
  });

  it('no room imports the root (cli, runCampaign, ...)', () => {
    const wrong = files.filter((f) => f.room !== null).flatMap((f) => importsOf(f).filter((i) => i.relative && roomOf(i.target) === null).map((i) => `${f.file} → ${i.target}`));
    expect(wrong).toEqual([]);
  });
});

describe('only io/process/ starts programs; no dead code', () => {
  it('only io/process/ imports execa', () => {
    const wrong = files.filter((f) => f.room !== 'io/process' && importsOf(f).some((i) => i.target === 'execa')).map((f) => f.file);
    expect(wrong).toEqual([]);
  });

  it('nvidia-smi is named as a command only in io/nvidia/ (messages may mention it)', () => {
    const outside = files.filter((f) => f.room !== 'io/nvidia').flatMap((f) => commandLiterals(f.ast, 'nvidia-smi').map((at) => `${f.file}:${at}`));
    expect(outside).toEqual([]);
  });

  it('the command finder tells a command from words (a check of the check)', () => {
    const source = [
      "const argv = ['nvidia-smi', '-L'];",
      "const command = options.command ?? 'nvidia-smi';",
      "const path = '/usr/bin/nvidia-smi';",
      'const shell = `nvidia-smi --query-gpu=index --format=csv`;',
      'const inDir = `${dir}/nvidia-smi`;',
      '// nvidia-smi in a comment',
      "notice('no nvidia-smi or no GPU there');",
      "const why = 'nvidia-smi -L lists no GPU';",
      "const other = ['nvidia-smi-wrapper', 'srun'];",
    ].join('\n');
    expect(commandLiterals(ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true), 'nvidia-smi')).toEqual([
      "1: 'nvidia-smi'",
      "2: 'nvidia-smi'",
      "3: '/usr/bin/nvidia-smi'",
      '4: `nvidia-smi --query-gpu=index --format=csv`',
      '5: `${dir}/nvidia-smi`',
    ]);
  });

  it("only io/slurm/ names Slurm's commands (srun, squeue, scontrol, sacct, scancel, sinfo)", () => {
    const commands = new Set(['srun', 'squeue', 'scontrol', 'sacct', 'scancel', 'sinfo']);
    const naming = files.filter((f) => f.room !== 'io/slurm' && stringsOf(f).some((s) => commands.has(s))).map((f) => f.file);
    expect(naming).toEqual([]);
  });

  it("an io/ room's pure files (header: Pure) import no node: module, no io/process/, no file of theirs that is not pure", () => {
    const pure = new Set(files.filter((f) => f.room?.startsWith('io/') && saysPure(f)).map((f) => f.file));
    expect(pure.has('io/slurm/squeueFormat.ts')).toBe(true); // the check finds what it checks
    const impure = (i: { target: string; relative: boolean }) =>
      i.target.startsWith('node:') || i.target === 'execa' || (i.relative && (roomOf(i.target) === 'io/process' || (roomOf(i.target)?.startsWith('io/') && !pure.has(i.target))));
    const wrong = files.filter((f) => pure.has(f.file)).flatMap((f) => importsOf(f).filter(impure).map((i) => `${f.file} → ${i.target}`));
    expect(wrong).toEqual([]);
  });

  it('every file but the entry is imported by another file of source/', () => {
    const imported = new Set(files.flatMap((f) => importsOf(f).filter((i) => i.relative).map((i) => i.target)));
    expect(files.filter((f) => f.file !== 'cli.tsx' && !imported.has(f.file)).map((f) => f.file)).toEqual([]);
  });

  it('every export is used: imported by another file of source/, or used in its own file', () => {
    // Exports only tests use, kept on purpose: the integration tests' way to
    // forget the detected compose flavour, and the README's key table drawn
    // from the keymap (test/docs/readme.test.ts).
    const keep = new Set(['compose/flavour.ts resetFlavourCache', 'ui/keymap.ts keymapMarkdown']);
    const used = new Map<string, Set<string>>();
    for (const i of files.flatMap((f) => importsOf(f).filter((i) => i.relative))) used.set(i.target, new Set([...(used.get(i.target) ?? []), ...i.names]));
    const dead = files.flatMap((f) =>
      exportsOf(f)
        .filter((e) => e.mentions < 2 && !used.get(f.file)?.has(e.name) && !used.get(f.file)?.has('*'))
        .map((e) => `${f.file} ${e.name}`)
        .filter((e) => !keep.has(e)),
    );
    expect(dead).toEqual([]);
  });
});

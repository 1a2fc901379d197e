// No import cycle among the files of ui/ and report/ (issue 26: the jobs
// panel as one folder closed the two ui/ cycles, jobKeys ↔ uiState and
// jobDialogs ↔ Dialog). Type-only imports count: a cycle of types still ties
// two files so that neither can move or be read alone.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SOURCE = path.resolve('source');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The files under source/<folder>, each with the files of that folder it imports (relative to source/, without extension). */
function importGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const full of walk(path.join(SOURCE, folder)).filter((f) => /\.tsx?$/.test(f))) {
    const file = path.relative(SOURCE, full).replace(/\.tsx?$/, '');
    const ast = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const deps: string[] = [];
    ast.forEachChild((node) => {
      const spec = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : null;
      if (spec?.startsWith('.')) deps.push(path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, ''));
    });
    graph.set(file, deps.filter((d) => d.startsWith(folder + path.sep)));
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as "a → b → a" (one per back edge). */
function cyclesOf(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    if (trail.includes(file)) return void cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
    if (done.has(file)) return;
    for (const dep of graph.get(file) ?? []) visit(dep, [...trail, file]);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file, []);
  return cycles;
}

describe('import cycles', () => {
  it.each(['ui', 'report'])('none among the files of %s/', (folder) => {
    expect(cyclesOf(importGraph(folder))).toEqual([]);
  });

  it('the walk finds a cycle where there is one', () => {
    const graph = new Map([
      ['ui/a', ['ui/b']],
      ['ui/b', ['ui/a']],
      ['ui/c', ['ui/a']],
    ]);
    expect(cyclesOf(graph)).toEqual(['ui/a → ui/b → ui/a']);
  });
});

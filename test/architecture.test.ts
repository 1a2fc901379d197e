// The shape rules of issue 12, checked on every run so they stay true:
// small files and functions, one direction of imports, no Proxy, and no
// dispatcher kind checks outside the dispatcher layer.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SOURCE = path.resolve('source');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

interface SourceFile {
  file: string; // relative to source/, e.g. "campaign/engine.ts"
  folder: string | null; // top-level folder, null for the root
  text: string;
  ast: ts.SourceFile;
}

const files: SourceFile[] = walk(SOURCE)
  .filter((f) => /\.tsx?$/.test(f))
  .map((full) => {
    const file = path.relative(SOURCE, full);
    const text = fs.readFileSync(full, 'utf8');
    const parts = file.split(path.sep);
    return { file, folder: parts.length > 1 ? parts[0]! : null, text, ast: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) };
  });

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Relative imports of a file, resolved to paths under source/. */
function importsOf(f: SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)
          ? (node.arguments[0] as ts.StringLiteral).text
          : null;
    if (spec?.startsWith('.')) found.push(path.normalize(path.join(path.dirname(f.file), spec)));
    ts.forEachChild(node, visit);
  };
  visit(f.ast);
  return found;
}

function functionsOf(f: SourceFile): { name: string; line: number; lines: number }[] {
  const found: { name: string; line: number; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = f.ast.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = f.ast.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      found.push({ name, line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(f.ast);
  return found;
}

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
    const asking = files.filter((f) => !['dispatch', 'compose'].includes(f.folder ?? '') && /dispatcher\??\.kind\b/.test(f.text)).map((f) => f.file);
    expect(asking).toEqual([]);
  });

  it('state/, ui/, report/ and output/ never import compose/', () => {
    const wrong = files
      .filter((f) => ['state', 'ui', 'report', 'output'].includes(f.folder ?? ''))
      .flatMap((f) => importsOf(f).filter((i) => i.startsWith(`compose${path.sep}`)).map((i) => `${f.file} → ${i}`));
    expect(wrong).toEqual([]);
  });

  it('no folder imports the root (cli, runCampaign, ...)', () => {
    const wrong = files
      .filter((f) => f.folder !== null)
      .flatMap((f) => importsOf(f).filter((i) => !i.includes(path.sep)).map((i) => `${f.file} → ${i}`));
    expect(wrong).toEqual([]);
  });

  it('domain/ imports nothing but itself', () => {
    const wrong = files
      .filter((f) => f.folder === 'domain')
      .flatMap((f) => importsOf(f).filter((i) => !i.startsWith(`domain${path.sep}`)).map((i) => `${f.file} → ${i}`));
    expect(wrong).toEqual([]);
  });
});

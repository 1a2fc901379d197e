// source/ read as TypeScript syntax for test/architecture.test.ts: each file
// with its room, what it imports (relative paths resolved under source/, and
// packages by name), its functions and what it exports.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const SOURCE = path.resolve('source');

export interface SourceFile {
  file: string; // relative to source/, e.g. "campaign/engine.ts"
  room: string | null; // see roomOf; null for the root files
  text: string;
  ast: ts.SourceFile;
}

/** A file's room: its top-level folder, or io/<program> under io/; null for a root file. */
export function roomOf(file: string): string | null {
  const parts = file.split(/[\\/]/);
  if (parts.length === 1) return null;
  return parts[0] === 'io' && parts.length > 2 ? `io/${parts[1]}` : parts[0]!;
}

export function readSourceFiles(): SourceFile[] {
  return walk(SOURCE)
    .filter((f) => /\.tsx?$/.test(f))
    .map((full) => {
      const file = path.relative(SOURCE, full).split(path.sep).join('/');
      const text = fs.readFileSync(full, 'utf8');
      return { file, room: roomOf(file), text, ast: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) };
    });
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export interface Import {
  /** A relative import resolved to a file under source/ ("compose/types.ts"); a package's name as written. */
  target: string;
  relative: boolean;
  /** The names imported; '*' for a namespace import, `export *` or a dynamic import. */
  names: string[];
}

/** Static imports, re-exports and dynamic imports of a file. */
export function importsOf(f: SourceFile): Import[] {
  const found: Import[] = [];
  const add = (spec: string, names: string[]) => {
    const relative = spec.startsWith('.');
    found.push({ target: relative ? resolveUnderSource(f.file, spec) : spec, relative, names });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, importedNames(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      add(node.moduleSpecifier.text, clause && ts.isNamedExports(clause) ? clause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*']);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) {
      add((node.arguments[0] as ts.StringLiteral).text, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(f.ast);
  return found;
}

function importedNames(node: ts.ImportDeclaration): string[] {
  const clause = node.importClause;
  if (!clause) return [];
  const names = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  else if (bindings) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
  return names;
}

function resolveUnderSource(from: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (fs.existsSync(path.join(SOURCE, candidate))) return candidate;
  }
  return base;
}

export function functionsOf(f: SourceFile): { name: string; line: number; lines: number }[] {
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

/** The names a file exports from its own top-level declarations, and how often each name appears in it. */
export function exportsOf(f: SourceFile): { name: string; mentions: number }[] {
  const names: string[] = [];
  for (const statement of f.ast.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) names.push(...statement.declarationList.declarations.map((d) => d.name.getText()));
    else if ('name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) names.push((statement.name as ts.Identifier).text);
  }
  const mentions = new Map<string, number>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) mentions.set(node.text, (mentions.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(f.ast);
  return names.map((name) => ({ name, mentions: mentions.get(name) ?? 0 }));
}

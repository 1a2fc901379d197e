// Where a file of source/ names an outside program as a command, for
// test/architecture.test.ts's rule that each program is started from its
// own room only (io/nvidia/ for nvidia-smi). Read from the syntax tree, so
// comments never count, and only a string that is the command itself counts:
// the program's name or a path to it ('nvidia-smi', '/usr/bin/nvidia-smi',
// `${dir}/nvidia-smi`), alone or followed by options only ('nvidia-smi -L').
// A message that merely mentions the program ("no nvidia-smi or no GPU
// there", "nvidia-smi -L lists no GPU") is words, not a command.
import ts from 'typescript';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The string literals of a parsed file (sourceFiles.ts's `ast`) that are `program` as a command, as "line: text". */
export function commandLiterals(ast: ts.SourceFile, program: string): string[] {
  const command = new RegExp(`^(?:\\S*/)?${escape(program)}(?:\\s+-\\S+)*\\s*$`);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const text = literalText(node);
    if (text !== null && command.test(text)) {
      found.push(`${ast.getLineAndCharacterOfPosition(node.getStart(ast)).line + 1}: ${node.getText(ast)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return found;
}

/** A string literal's text; a template's with each `${…}` as one word; null for anything else. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `X${s.literal.text}`).join('');
  return null;
}

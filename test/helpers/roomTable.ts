// Two readings for test/architecture.test.ts's room rules: the "may import"
// table as source/README.md shows it, and the cycles of a graph of rooms.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The rows of source/README.md's table under "## The folders": the room
 * (`compose/` → "compose") and its "may import" cell as room names
 * ("nothing" is none).
 */
export function readmeMayImport(readmePath = path.resolve('source/README.md')): Map<string, string[]> {
  const text = fs.readFileSync(readmePath, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('The folders'));
  if (!section) throw new Error(`${readmePath}: no "## The folders" section`);
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const cells = line.split('|').map((c) => c.trim());
    const room = cells[1]!.replace(/`/g, '').replace(/\/$/, '');
    const mayImport = cells[3]!.replace(/`/g, '');
    rows.set(room, mayImport === 'nothing' ? [] : mayImport.split(',').map((r) => r.trim().replace(/\/$/, '')));
  }
  return rows;
}

/** The cycles of a directed graph ("a → b" edges), one per strongly connected set of more than one node, as its sorted nodes. */
export function roomCycles(edges: Iterable<string>): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(' → ') as [string, string];
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

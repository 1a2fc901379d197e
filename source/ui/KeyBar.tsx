import React from 'react';
import { Text } from 'ink';
import { bindingsFor, barKeys, type KeyScope } from './keymap.js';
import { tone } from './theme.js';

export interface KeyBarItem {
  keys: string;
  label: string;
}

const SEP = '  ';

const KEEP = new Set(['help', 'quit', 'questionQuit']);

/** The bar's items for a scope (`slurm`: as they read with a scheduler), dropping optional ones from the end until they fit (help and quit stay). */
export function keyBarItems(scope: KeyScope, width: number, slurm = false): KeyBarItem[] {
  const all = bindingsFor(scope, slurm)
    .filter((b) => b.bar)
    .map((b) => ({ keys: barKeys(b), label: b.label, keep: KEEP.has(b.action) }));
  const items = [...all];
  const length = () => items.reduce((n, i) => n + i.keys.length + 1 + i.label.length, 0) + SEP.length * (items.length - 1);
  while (length() > width && items.some((i) => !i.keep)) {
    const drop = items.map((i) => i.keep).lastIndexOf(false);
    items.splice(drop, 1);
  }
  return items.map(({ keys, label }) => ({ keys, label }));
}

export function KeyBar({ scope, width, color, slurm = false }: { scope: KeyScope; width: number; color: boolean; slurm?: boolean }) {
  const items = keyBarItems(scope, width, slurm);
  return (
    <Text wrap="truncate">
      {items.map((item, i) => (
        <React.Fragment key={item.keys}>
          {i > 0 ? SEP : ''}
          <Text bold color={tone(color, 'info')}>
            {item.keys}
          </Text>
          <Text color={tone(color, 'muted')}> {item.label}</Text>
        </React.Fragment>
      ))}
    </Text>
  );
}

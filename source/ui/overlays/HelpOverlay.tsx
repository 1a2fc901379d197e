import React from 'react';
import { Box, Text } from 'ink';
import { bindingsFor, displayKeys, SCOPE_TITLES, type KeyScope, type Screen } from '../keymap.js';
import { cell } from '../text.js';
import { tone } from '../theme.js';

export interface HelpOverlayProps {
  screen: Screen;
  width: number;
  height: number;
  color: boolean;
  /** A Slurm scheduler is set: keys read as they work with it. */
  slurm?: boolean;
}

/** The rows the help overlay shows for a screen: its keys, then the dialog keys (none before the start). */
export function helpSections(screen: Screen, slurm = false): { scope: KeyScope; rows: { keys: string; description: string }[] }[] {
  const scopes: KeyScope[] = screen === 'confirm' || screen === 'question' ? [screen] : [screen, 'dialog'];
  return scopes.map((scope) => ({
    scope,
    rows: bindingsFor(scope, slurm).map((b) => ({ keys: displayKeys(b), description: b.description })),
  }));
}

export function HelpOverlay({ screen, width, height, color, slurm = false }: HelpOverlayProps) {
  const sections = helpSections(screen, slurm);
  const keyW = Math.max(...sections.flatMap((s) => s.rows.map((r) => r.keys.length)));
  const lines: { text: string; head?: boolean }[] = [];
  for (const s of sections) {
    lines.push({ text: SCOPE_TITLES[s.scope], head: true });
    for (const r of s.rows) lines.push({ text: `  ${cell(r.keys, keyW)}  ${r.description}` });
  }
  // Border (2) + title (1) + footer (1); cut the list when the terminal is short.
  const room = Math.max(1, height - 4);
  const shown = lines.slice(0, room);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={tone(color, 'info')} paddingX={1} width={width}>
      <Text bold wrap="truncate">
        Keys
      </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.head ?? false} color={l.head ? tone(color, 'accent') : undefined}>
          {l.text}
        </Text>
      ))}
      <Text color={tone(color, 'muted')} wrap="truncate">
        {lines.length > shown.length ? `… ${lines.length - shown.length} more (taller terminal) · ` : ''}? or Esc closes
      </Text>
    </Box>
  );
}

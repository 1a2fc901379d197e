// A dialog box: its title, its lines and the answer line, in a warning
// border. It draws any dialog; the words come from dialogText.ts (which asks
// each panel for its own), so this file knows no dialog kind.
import React from 'react';
import { Box, Text } from 'ink';
import { truncate } from '../text.js';
import { tone } from '../theme.js';

export interface DialogText {
  title: string;
  lines: string[];
  /** What Enter does, written in capitals in the answer line. */
  defaultYes: boolean;
}

/** Lines a dialog takes: border, title, its lines, the answer line. */
export function dialogHeight(text: DialogText): number {
  return 2 + 1 + text.lines.length + 1;
}

/** Columns inside a dialog box `width` wide (border and padding). */
export function dialogInner(width: number): number {
  return Math.max(10, width - 4);
}

export function DialogBox({ text, width, color }: { text: DialogText; width: number; color: boolean }) {
  const inner = dialogInner(width);
  const answers = text.defaultYes ? 'Y/Enter = yes · n/Esc = no' : 'y = yes · N/Esc/Enter = no (default)';
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={tone(color, 'warn')}
      paddingX={1}
      width={width}
    >
      <Text bold wrap="truncate">
        {truncate(text.title, inner)}
      </Text>
      {text.lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {truncate(l, inner)}
        </Text>
      ))}
      <Text color={tone(color, 'info')} wrap="truncate">
        {answers}
      </Text>
    </Box>
  );
}

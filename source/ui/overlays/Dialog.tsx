import { experimentLabel } from '../../domain/experiment.js';
import { shellQuote } from '../../domain/shellQuote.js';
import React from 'react';
import { Box, Text } from 'ink';
import type { CampaignState } from '../../state/types.js';
import { truncate, wrapWords } from '../text.js';
import { tone } from '../theme.js';
import { selectRunningOn } from '../../state/busyServices.js';
import { type Dialog } from '../uiState.js';
import { interruptsLines } from './interruptsText.js';
import { cancelJobsText, resubmitText } from '../jobs/jobDialogs.js';

export interface DialogText {
  title: string;
  lines: string[];
  /** What Enter does, written in capitals in the answer line. */
  defaultYes: boolean;
}

/** The words of a dialog, in lines of `inner` columns: what it asks and the exact command that will run. */
export function dialogText(dialog: Dialog, state: CampaignState, inner: number): DialogText {
  const project = state.meta?.composeProject ?? 'lem';
  const down = state.meta?.commands?.down;
  if (dialog.kind === 'teardown' && state.meta?.scheduler) return cancelJobsText(state, inner);
  if (dialog.kind === 'resubmit') return resubmitText(dialog, state, inner);
  if (dialog.kind === 'teardown') {
    return {
      title: `Stop and remove all services of project ${project}?`,
      lines: [
        ...(down ? wrapWords(`Runs: ${shellQuote(down)}`, inner) : ['Stops the running experiment (no compose services).']),
        ...interruptsLines(state, inner),
      ],
      defaultYes: false,
    };
  }
  // Read the state now, not when the dialog opened: the experiment may have ended meanwhile.
  const running = selectRunningOn(state, dialog.service);
  return {
    title: `Restart service ${dialog.service}?`,
    lines: running
      ? [`This interrupts the running experiment ${experimentLabel(running)};`, 'it will be retried or marked failed.']
      : [`No experiment is running on ${dialog.service} now.`],
    defaultYes: false,
  };
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

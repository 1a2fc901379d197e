// Chooses the screen and hosts the overlays. Reads CampaignState, sends Commands; no I/O.
import React from 'react';
import { Box } from 'ink';
import type { CampaignState, Command } from '../state/types.js';
import { ConfirmScreen } from './confirm/ConfirmScreen.js';
import { dialogText } from './dialogText.js';
import { DialogBox, dialogHeight, dialogInner } from './overlays/Dialog.js';
import { HelpOverlay } from './overlays/HelpOverlay.js';
import { QuestionScreen } from './question/QuestionScreen.js';
import { KeyBar } from './KeyBar.js';
import { runLayout, topPanel } from './run/layout.js';
import { gpuPanelLines } from './run/gpuLines.js';
import { RunScreen } from './run/RunScreen.js';
import { SummaryScreen } from './summary/SummaryScreen.js';
import { colorFromEnv } from './theme.js';
import { questionAnswered, screenFor } from './uiState.js';
import { useKeys } from './useKeys.js';
import { useTerminalSize } from './useTerminalSize.js';

const DIALOG_WIDTH = 90;

export interface AppProps {
  state: CampaignState;
  sendCommand: (cmd: Command) => void;
  /** The clock for countdowns and uptimes (default: state.now). */
  now?: number;
  /** Colour on or off (default: off when NO_COLOR is set). */
  color?: boolean;
}

export function App({
  state: given,
  sendCommand,
  now = given.now,
  color = colorFromEnv(process.env),
}: AppProps) {
  // One clock for every figure on screen: the `now` prop when given, else the state's.
  const state = now === given.now ? given : { ...given, now };
  const { width, height: rows } = useTerminalSize();
  // One line short of the terminal: a frame as tall as the terminal makes Ink clear and redraw it all.
  const height = Math.max(1, rows - 1);
  const screen = screenFor(state);
  const panel = topPanel(state);
  const logPage = Math.max(1, runLayout(height, panel, state.experiments.length, true, gpuPanelLines(state.gpuTelemetry)).logRows);
  const slurm = Boolean(state.meta?.scheduler);
  const ui = useKeys({ state, screen, sendCommand, logPage });

  if (ui.help) return <HelpOverlay screen={screen} width={width} height={height} color={color} slurm={slurm} />;
  if (screen === 'question' && state.question) {
    const answered = questionAnswered(ui, state);
    return <QuestionScreen state={state} question={state.question} width={width} height={height} color={color} answered={answered} />;
  }

  const dialog = ui.dialog ? dialogText(ui.dialog, state, dialogInner(Math.min(width, DIALOG_WIDTH))) : null;
  const dialogLines = dialog ? dialogHeight(dialog) + 1 : 0; // + the dialog's key bar
  const body = Math.max(1, height - dialogLines);
  const common = { state, width, height: body, color };
  return (
    <Box flexDirection="column" width={width}>
      {screen === 'confirm' ? (
        <ConfirmScreen {...common} answered={ui.answered} />
      ) : screen === 'summary' ? (
        <SummaryScreen {...common} keyBar={!dialog} />
      ) : (
        <RunScreen {...common} ui={ui} keyBar={!dialog} />
      )}
      {dialog ? (
        <>
          <DialogBox text={dialog} width={Math.min(width, DIALOG_WIDTH)} color={color} />
          <KeyBar scope="dialog" width={width} color={color} />
        </>
      ) : null}
    </Box>
  );
}

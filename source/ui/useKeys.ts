// The one key owner: a single useInput, active only when raw mode is supported,
// dispatching by screen; an open dialog or the help overlay gets keys first.
import { useCallback, useRef, useState } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import type { CampaignState, Command } from '../state/types.js';
import { keyName, type Screen } from './keymap.js';
import { initialUi, reduceKey, type UiState } from './uiState.js';

export interface UseKeysOptions {
  state: CampaignState;
  screen: Screen;
  sendCommand: (cmd: Command) => void;
  /** Lines PgUp/PgDn move the log by (the log pane's height). */
  logPage: number;
}

export function useKeys({ state, screen, sendCommand, logPage }: UseKeysOptions): UiState {
  const { isRawModeSupported } = useStdin();
  const [ui, setUi] = useState<UiState>(initialUi);
  // The latest UI state, so that keys arriving in one tick build on each other.
  const uiRef = useRef(ui);
  const onInput = useCallback(
    (input: string, key: Key) => {
      const name = keyName(input, key);
      if (name === null) return;
      const { ui: next, commands } = reduceKey(uiRef.current, name, state, { screen, logPage });
      uiRef.current = next;
      setUi(next);
      for (const c of commands) sendCommand(c);
    },
    [state, screen, sendCommand, logPage],
  );
  useInput(onInput, { isActive: isRawModeSupported === true });
  return ui;
}

// The interactive mode: mounts the Ink App on the shared store. Container
// output may arrive at 20,000 lines/s; the store changes far more often than
// a terminal can show, so the view takes the latest state at most every
// FRAME_MS (DESIGN.md: <= 30 Hz) instead of on every action.
import React, { useEffect, useState } from 'react';
import { render } from 'ink';
import { App } from '../ui/App.js';
import type { CampaignState, Command } from '../state/types.js';

const FRAME_MS = 33;

export interface StateSource {
  getState(): CampaignState;
  subscribe(listener: () => void): () => void;
}

interface ThrottledAppProps {
  source: StateSource;
  sendCommand: (c: Command) => void;
  color: boolean;
}

function ThrottledApp({ source, sendCommand, color }: ThrottledAppProps) {
  const [state, setState] = useState(source.getState());
  useEffect(() => {
    let timer: NodeJS.Timeout | null = null;
    let lastFrame = 0;
    const unsubscribe = source.subscribe(() => {
      if (timer) return;
      const wait = Math.max(0, FRAME_MS - (performance.now() - lastFrame));
      timer = setTimeout(() => {
        timer = null;
        lastFrame = performance.now();
        setState(source.getState());
      }, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [source]);
  return <App state={state} sendCommand={sendCommand} color={color} />;
}

export interface MountedApp {
  unmount(): void;
}

export function mountApp(
  source: StateSource,
  sendCommand: (command: Command) => void,
  color: boolean,
): MountedApp {
  // Ctrl-C arrives as a key in raw mode: the App turns it into a quit command
  // (first press tears down and saves, the second forces).
  const instance = render(<ThrottledApp source={source} sendCommand={sendCommand} color={color} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { unmount: () => instance.unmount() };
}

// The interactive output: the Ink App on the store, mounted when first
// needed (a resume question, or the campaign itself), a clock tick each
// second, and the keys' commands. Two commands end here rather than in the
// engine: an answer to the question on screen, and `q` on the summary (the
// campaign is over: it leaves the program).
import type { Store } from '../state/store.js';
import type { Command } from '../state/types.js';
import { colorFromEnv } from '../ui/theme.js';
import { InterruptedBeforeStart } from '../lifecycle/startupGuard.js';
import type { MountedApp } from './inkApp.js';
import type { Output } from './types.js';

interface PendingQuestion {
  resolve: (answer: boolean) => void;
  reject: (error: Error) => void;
}

export async function attachTui(store: Store, send: (command: Command) => void): Promise<Output> {
  // React's development build (the default without NODE_ENV) records a
  // performance.measure() per component render, which Node keeps in its
  // timeline forever: under a log flood that is +230 MB of RSS and a third of
  // the CPU (BENCHMARKS.md, "TUI under a log flood"). React is first loaded
  // here, so this decides which build it uses.
  process.env.NODE_ENV ??= 'production';
  const { mountApp } = await import('./inkApp.js');
  let app: MountedApp | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let closed = false;
  let question: PendingQuestion | null = null;
  let leave: () => void = () => {};
  const left = new Promise<void>((resolve) => (leave = resolve));

  const answer = (settle: (q: PendingQuestion) => void) => {
    const q = question;
    if (!q) return;
    question = null;
    store.dispatch({ type: 'question/answered', at: Date.now() });
    settle(q);
  };
  const onCommand = (command: Command) => {
    if (question && command.type === 'answer') return answer((q) => q.resolve(command.answer));
    if (question && command.type === 'quit') return answer((q) => q.reject(new InterruptedBeforeStart('quit')));
    if (store.getState().phase === 'finished' && command.type === 'quit') return leave();
    send(command);
  };
  const mount = () => {
    if (app || closed) return;
    app = mountApp(store, onCommand, colorFromEnv(process.env));
    ticker = setInterval(() => store.dispatch({ type: 'tick', at: Date.now() }), 1000);
  };

  return {
    ask(text, defaultYes) {
      mount();
      return new Promise<boolean>((resolve, reject) => {
        question = { resolve, reject };
        store.dispatch({ type: 'question/asked', at: Date.now(), text, defaultYes });
      });
    },
    /** A signal while a question waits: the start-up stops, nothing started. */
    interrupt(signal) {
      answer((q) => q.reject(new InterruptedBeforeStart(signal)));
    },
    show: mount,
    async finished(nothingStarted, quitting) {
      // Declined on the confirm screen (nothing was started, even on a resume
      // with completed experiments) or quitting: leave at once; else stay on the summary.
      if (!nothingStarted && !quitting && app) await left;
    },
    close() {
      closed = true;
      if (ticker) clearInterval(ticker);
      app?.unmount();
      app = null;
    },
  };
}

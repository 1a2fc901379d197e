// Quit, Ctrl-C and signals once the campaign runs: the first asks the engine
// to stop (cancel, tear down, save), the second forces — the project's
// containers are removed by label at once and the process exits 130.
// Nothing may be left behind either way.
import type { Dispatcher } from '../dispatch/types.js';
import { sweepProject } from '../compose/preflight.js';
import { EXIT } from '../domain/exitCodes.js';
import type { Command } from '../state/types.js';

/** What the quitter stops: the engine's command entry. */
export interface Stoppable {
  command(command: Command): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const FORCE_DEADLINE_MS = 15_000;

export class Quitter {
  quitting = false;
  private forcing = false;
  private hangup: () => void = () => {};

  constructor(
    private readonly engine: Stoppable,
    private readonly dispatcher: Dispatcher,
    private readonly graceSeconds: number,
    private readonly project: string | null,
  ) {}

  /** Commands from the keys: quit goes through here, the rest to the engine. */
  command(command: Command): void {
    if (command.type === 'quit') return this.quit(command.force);
    this.engine.command(command);
  }

  /** The terminal went away: stop rendering (stdout may fail with EIO), finish the teardown. */
  onHangup(fn: () => void): void {
    this.hangup = fn;
  }

  quit(force: boolean): void {
    if (force || this.quitting) {
      void this.force();
      return;
    }
    this.quitting = true;
    this.engine.command({ type: 'quit', force: false });
    // A hard deadline: teardown must not hang the terminal forever.
    setTimeout(() => void this.force(), (this.graceSeconds + 60) * 1000).unref();
  }

  /** Takes SIGINT, SIGTERM and SIGHUP; returns the function that gives them back. */
  installSignalHandlers(): () => void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (signal === 'SIGHUP') this.callHangup();
      this.quit(false);
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
    return () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    };
  }

  private async force(): Promise<void> {
    if (this.forcing) return;
    this.forcing = true;
    this.engine.command({ type: 'quit', force: true });
    process.stderr.write('\nlem-tui: forced quit, removing containers\n');
    const deadline = new Promise((resolve) => setTimeout(resolve, FORCE_DEADLINE_MS).unref());
    // No grace this time: every container of the project is removed by label.
    // Local dispatch has no label to sweep by: its shutdown waits for the
    // runs' own kill ladders (SIGKILL after the grace); exiting first would
    // cancel that SIGKILL and leave a harness that ignores SIGTERM running.
    const removal = this.project ? sweepProject(this.project).then(() => {}) : this.dispatcher.shutdown();
    await Promise.race([removal.catch(() => {}), deadline]);
    this.callHangup(); // unmount Ink: raw mode off, cursor back
    process.exit(EXIT.interrupted);
  }

  private callHangup(): void {
    try {
      this.hangup();
    } catch {
      /* the terminal is already gone */
    }
  }
}

// The exact compose commands a dispatcher runs besides the experiments, as
// argv. The dispatcher builds them once; views and --dry-run only show them
// (shellQuote), so what the screen says is what runs.
export interface ServiceCommands {
  /** Run once before the first experiment (persistent: `up -d` with the override file), null when none. */
  up: string[] | null;
  /** The services `up` starts (persistent with --gpus: one per GPU slot, "pytorch-gpu0"); absent: the plan's services. */
  upServices?: string[];
  /** Run at teardown (`down --remove-orphans -t <grace>`), null when none (local). */
  down: string[] | null;
  /** For the user to stop what is left running: `down` with the PUID/PGID the compose file may need. */
  stopHint: string[] | null;
}

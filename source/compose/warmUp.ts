// Start-up: whether the engine answers and which compose this machine has do
// not depend on the campaign, so a run asks them while the rest of lem-tui
// loads and the campaign is read (cliMain.ts; about 0.2 s of module loading
// here, BENCHMARKS.md). Preflight then finds the answers: each question is
// asked once per process (preflight.ts, flavour.ts). Read-only questions:
// nothing is started, and a failure is only reported by preflight.
import { findComposePlugin } from './composePlugin.js';
import { detectFlavour, engineCli, isDockerCompose, parseComposeCommand, useComposePlugin } from './flavour.js';
import { engineAvailable } from './preflight.js';

/** `composeCommand`: the --compose-command flag, when given. */
export function warmUp(composeCommand: string | undefined): void {
  const named = composeCommand ? parseComposeCommand(composeCommand) : null;
  void engineAvailable(named ? engineCli(named) : 'docker');
  if (!named) void detectFlavour();
  if (named && !isDockerCompose(named.command)) return;
  const plugin = findComposePlugin();
  if (plugin) void useComposePlugin(plugin);
}

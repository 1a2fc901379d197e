// The program behind the entry (cli.tsx): flags, exit codes, and the choice
// between validate / dry run / run. Bad input never shows a stack trace:
// ConfigError and EnvironmentError are printed as their messages and exit 2,
// before anything is started.
//
// Only meow and the flag table load up front: --help and --version must answer
// fast, and the rest (zod, yaml, execa, the engine) is loaded once needed.
import meow from 'meow';
import { FLAG_TABLE, HELP, toCliFlags, type RawFlags } from './cliFlags.js';
import { EXIT } from './domain/exitCodes.js';
import { InterruptedBeforeStart, StartupGuard, type EarlySignals } from './lifecycle/startupGuard.js';
import { takeNodeWarnings } from './lifecycle/nodeWarnings.js';

async function main(early: EarlySignals): Promise<number> {
  // A signal while the program loaded: nothing was started, say so and stop.
  if (early.received) throw new InterruptedBeforeStart(early.received);
  const cli = meow(HELP, {
    importMeta: import.meta,
    flags: FLAG_TABLE,
    allowUnknownFlags: false,
    autoHelp: false,
    autoVersion: false,
    booleanDefault: undefined,
  });
  if (cli.flags.help) {
    process.stdout.write(`${cli.help.replace(/^\n/, '')}\n`);
    return EXIT.ok;
  }
  if (cli.flags.version) {
    process.stdout.write(`${cli.pkg.version ?? 'unknown'}\n`);
    return EXIT.ok;
  }
  const { flags, errors } = toCliFlags(cli.flags as RawFlags);
  if (cli.input.length !== 1) errors.unshift(`expected one campaign file, got ${cli.input.length}: lem-tui <campaign.yaml> [flags]`);
  if (errors.length > 0) {
    for (const error of errors) process.stderr.write(`lem-tui: ${error}\n`);
    process.stderr.write('Run lem-tui --help for usage.\n');
    return EXIT.badInput;
  }

  // Before anything else: a signal during start-up must end in 130, not death by the signal.
  const guard = new StartupGuard().install(early);
  // A run that may use Docker asks the engine and compose while the rest loads (compose/warmUp.ts).
  const mayUseDocker = !flags.dryRun && !flags.validateOnly && flags.dispatch !== 'local' && flags.dispatch !== 'slurm';
  if (mayUseDocker) void import('./compose/warmUp.js').then((m) => m.warmUp(flags.composeCommand));
  // Each mode loads only its own part: a real run's (the engine, ~130 kB) is read
  // while the campaign is, and --validate / --dry-run never load it.
  const running = flags.validateOnly || flags.dryRun ? null : import('./runCampaign.js');
  void running?.catch(() => {}); // bad input ends the run before it is awaited
  const { prepareCampaign } = await import('./prepareCampaign.js');
  const cwd = process.cwd();
  const prepared = await prepareCampaign(cli.input[0]!, flags, cwd, process.env);
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);

  guard.check();
  if (flags.validateOnly || flags.dryRun) guard.remove(); // they start nothing: a signal just ends them

  if (flags.validateOnly) {
    const { validatePlan } = await import('./plan/validate.js');
    prepared.warnings.forEach(warn);
    const problems = validatePlan(prepared.plan);
    for (const problem of problems) process.stderr.write(`${prepared.loaded.displayPath}: ${problem}\n`);
    if (problems.length > 0) return EXIT.badInput;
    const { plan } = prepared;
    process.stdout.write(
      `${prepared.loaded.displayPath}: valid — ${plan.configs.length} configs × ${plan.cycles} cycles = ` +
        `${plan.experiments.length} experiments on ${plan.services.join(', ')}\n`,
    );
    return EXIT.ok;
  }
  if (flags.dryRun) return (await import('./printDryRun.js')).printDryRun(prepared, flags, cwd);
  return (await running!).runCampaign(prepared, flags, cwd, guard);
}

/** Runs the program; the entry's early signal catcher hands over to the start-up guard. */
export function start(early: EarlySignals): void {
  takeNodeWarnings(); // never printed by Node over the screen
  main(early).then((code) => {
    process.exitCode = code;
  }, reportFailure);
}

async function reportFailure(error: unknown): Promise<void> {
  const { ConfigError, formatIssue } = await import('./config/errors.js');
  const { EnvironmentError } = await import('./domain/environmentError.js');
  if (error instanceof InterruptedBeforeStart) {
    process.stderr.write(`lem-tui: ${error.message}\n`);
    process.exitCode = EXIT.interrupted;
  } else if (error instanceof ConfigError) {
    for (const issue of error.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    // An unknown key often explains an error (a misspelt field): show warnings too.
    for (const issue of error.warnings) process.stderr.write(`warning: ${formatIssue(issue)}\n`);
    process.exitCode = EXIT.badInput;
  } else if (error instanceof EnvironmentError) {
    process.stderr.write(`lem-tui: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    process.exitCode = EXIT.badInput;
  } else {
    // A bug: say so plainly, with the stack, so it can be reported.
    process.stderr.write(`lem-tui: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.someFailed;
  }
}

import type { CliFlags } from '../config/types.js';

/**
 * Interactive only when stdin and stdout are both terminals, CI is not set and
 * neither --no-tui nor --json was given. Ink itself checks only for CI and
 * would write escape codes into a pipe (DESIGN.md: choose the mode before Ink mounts).
 */
export function isInteractive(
  flags: Pick<CliFlags, 'tui' | 'json'>,
  env: NodeJS.ProcessEnv = process.env,
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return Boolean(stdin.isTTY && stdout.isTTY) && !ci && flags.tui && !flags.json;
}

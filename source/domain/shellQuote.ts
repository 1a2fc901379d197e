/** Quotes argv for display so that a user can paste it into a POSIX shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteOne).join(' ');
}

function quoteOne(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./*-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

// Colours by meaning. With colour off (NO_COLOR) every helper returns undefined,
// so components pass no colour props at all.

export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'muted' | 'accent';

const COLOURS: Record<Tone, string> = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  info: 'cyan',
  muted: 'gray',
  accent: 'magenta',
};

export function tone(color: boolean, t: Tone): string | undefined {
  return color ? COLOURS[t] : undefined;
}

/** https://no-color.org: colour is off when NO_COLOR is set to a non-empty value. */
export function colorFromEnv(env: Record<string, string | undefined>): boolean {
  const v = env['NO_COLOR'];
  return v === undefined || v === '';
}

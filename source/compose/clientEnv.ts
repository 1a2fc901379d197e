// The environment every compose client call gets on top of process.env.
//
// The published compose file requires PUID and PGID (`${PUID:?...}`): set
// them to the caller's uid/gid when they are unset (LEM-FORMATS.md, "Dispatch").
export function composeClientEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.PUID === undefined && typeof process.getuid === 'function') env.PUID = String(process.getuid());
  if (process.env.PGID === undefined && typeof process.getgid === 'function') env.PGID = String(process.getgid());
  return { ...env, ...extra };
}

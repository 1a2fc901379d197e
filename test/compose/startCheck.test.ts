// Which `docker top -o pid,args` lines show the keep-alive itself running.
import { describe, expect, it } from 'vitest';
import { topRunsCommand } from '../../source/compose/startCheck.js';

const KEEP_ALIVE = ['sleep', 'infinity'];

// Captured from Docker 20.10 (`init: true`, override command `sleep infinity`).
const HANDED_OVER = `PID                 COMMAND
23993               /sbin/docker-init -- sleep infinity
24021               sleep infinity`;

describe('topRunsCommand', () => {
  it('sees the keep-alive once the entrypoint has exec-ed it', () => {
    expect(topRunsCommand(HANDED_OVER, KEEP_ALIVE)).toBe(true);
  });

  it('does not count the init process or an entrypoint script that carry it as arguments', () => {
    const entrypointRuns = `PID                 COMMAND
23993               /sbin/docker-init -- /entrypoint.sh sleep infinity
24021               /bin/sh /entrypoint.sh sleep infinity
24030               sleep 2`;
    expect(topRunsCommand(entrypointRuns, KEEP_ALIVE)).toBe(false);
    expect(topRunsCommand(HANDED_OVER.split('\n').slice(0, 2).join('\n'), KEEP_ALIVE)).toBe(false);
  });

  it('reads nothing into a header-only or empty answer', () => {
    expect(topRunsCommand('PID                 COMMAND', KEEP_ALIVE)).toBe(false);
    expect(topRunsCommand('', KEEP_ALIVE)).toBe(false);
  });
});

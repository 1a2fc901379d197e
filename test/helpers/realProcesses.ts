// Files whose tests start real processes (node, sh, docker) and wait for them.
// On a busy machine (2 cores, the Docker engine shared with other runs) one
// start can take seconds, and a test that starts several can pass the 20 s
// vitest.config.ts gives every test: a timeout, not a failure of ours. Such a
// file calls this once; tests of pure code keep the short default.
import { vi } from 'vitest';

export const REAL_PROCESS_TEST_TIMEOUT_MS = 120_000;

export function allowRealProcessTime(): void {
  vi.setConfig({ testTimeout: REAL_PROCESS_TEST_TIMEOUT_MS });
}

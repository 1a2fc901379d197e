import { describe, expect, it } from 'vitest';
import { hostDirsFromMounts } from '../../source/compose/hostDirs.js';
import { PreflightError } from '../../source/compose/preflightError.js';

const mount = (source: string, target: string) => ({ source, target, readOnly: false });
const both = [mount('/repo/configs', '/app/configs'), mount('/repo/results', '/app/results')];

function problem(fn: () => unknown): PreflightError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PreflightError) return error;
    throw error;
  }
  throw new Error('expected a PreflightError');
}

describe('hostDirsFromMounts: configs and results go where the services mount them', () => {
  it('the one folder every service mounts at /app/configs and at /app/results', () => {
    expect(hostDirsFromMounts(['pytorch', 'vllm'], { pytorch: both, vllm: both })).toEqual({
      configsDir: '/repo/configs',
      resultsDir: '/repo/results',
    });
  });

  it('a service without the /app/configs mount: one error naming the service and the mount', () => {
    const e = problem(() => hostDirsFromMounts(['pytorch', 'vllm'], { pytorch: both, vllm: [both[1]!] }));
    expect(e.problem).toBe('mount-missing');
    expect(e.message).toBe("Service vllm has no bind mount at /app/configs: lem-tui writes each experiment's config there.");
    expect(e.hint).toContain('./configs:/app/configs');
  });

  it('a service without the /app/results mount', () => {
    const e = problem(() => hostDirsFromMounts(['pytorch'], { pytorch: [both[0]!] }));
    expect(e.message).toMatch(/^Service pytorch has no bind mount at \/app\/results/);
  });

  it('services that mount different folders', () => {
    const other = [mount('/elsewhere/configs', '/app/configs'), both[1]!];
    const e = problem(() => hostDirsFromMounts(['pytorch', 'vllm'], { pytorch: both, vllm: other }));
    expect(e.message).toBe(
      'The services mount different host folders at /app/configs (pytorch → /repo/configs; vllm → /elsewhere/configs): lem-tui needs one.',
    );
  });
});

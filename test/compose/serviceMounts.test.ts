import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bindMountsOf, hostPathOf } from '../../source/compose/serviceMounts.js';

// What `compose config` prints for a service of llenergymeasure's layout.
const V2 = `
volumes:
  - type: bind
    source: /repo/configs
    target: /app/configs
    bind:
      create_host_path: true
  - type: bind
    source: /repo/results
    target: /app/results/
    read_only: true
  - type: volume
    source: hf-cache
    target: /app/.cache/huggingface
`;
const V1 = `
volumes:
- /repo/configs:/app/configs:rw
- /repo/results:/app/results:ro,z
- hf-cache:/app/.cache/huggingface:rw
`;

describe('bindMountsOf: the bind mounts of compose config output', () => {
  it.each([
    ['v2 long form', V2],
    ['v1 short form', V1],
  ])('%s: bind mounts only (named volumes are not), targets without a trailing slash', (_, text) => {
    expect(bindMountsOf(parse(text))).toEqual([
      { source: '/repo/configs', target: '/app/configs', readOnly: false },
      { source: '/repo/results', target: '/app/results', readOnly: true },
    ]);
  });

  it('a service without volumes, or not a mapping, has none', () => {
    expect(bindMountsOf({ image: 'x' })).toEqual([]);
    expect(bindMountsOf(null)).toEqual([]);
    expect(bindMountsOf({ volumes: [42, { type: 'bind' }] })).toEqual([]);
  });

  it('hostPathOf finds the source behind a target', () => {
    const mounts = bindMountsOf(parse(V2));
    expect(hostPathOf(mounts, '/app/configs')).toBe('/repo/configs');
    expect(hostPathOf(mounts, '/app/results/')).toBe('/repo/results');
    expect(hostPathOf(mounts, '/app/.state')).toBeNull();
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeFlag, formatFieldPath, formatIssue, showPath } from '../../source/config/errors.js';

describe('formatIssue', () => {
  it('prints file:line:col path: message', () => {
    expect(
      formatIssue({ file: 'campaign.yaml', line: 12, column: 11, path: 'execution.cycles', message: 'expected an integer from 1 to 20, got 0' }),
    ).toBe('campaign.yaml:12:11 execution.cycles: expected an integer from 1 to 20, got 0');
  });
  it('leaves out what is unknown', () => {
    expect(formatIssue({ file: 'campaign.yaml', message: 'file is empty' })).toBe('campaign.yaml: file is empty');
    expect(formatIssue({ file: 'a.yaml', line: 3, message: 'x' })).toBe('a.yaml:3: x');
    expect(formatIssue({ file: 'a.yaml', line: 3, column: 1, message: 'x' })).toBe('a.yaml:3:1: x');
    expect(formatIssue({ file: 'command line', path: '--cycles', message: 'x' })).toBe('command line --cycles: x');
  });
  it('then where the file was referenced from, when it was', () => {
    const referencedFrom = { file: 'campaign.yaml', line: 4, column: 5, path: 'configs[1]' };
    expect(formatIssue({ file: 'broken-config.yaml', line: 2, column: 1, message: 'invalid YAML: x', referencedFrom })).toBe(
      'broken-config.yaml:2:1: invalid YAML: x (referenced from campaign.yaml:4:5 configs[1])',
    );
    expect(formatIssue({ file: 'configs', message: 'is a folder', referencedFrom: { file: 'c.yaml', line: 2 } })).toBe(
      'configs: is a folder (referenced from c.yaml:2)',
    );
  });
});

describe('ConfigError', () => {
  it('keeps every issue and says them all in its message', () => {
    const error = new ConfigError([
      { file: 'a.yaml', line: 1, column: 1, message: 'one' },
      { file: 'b.yaml', message: 'two' },
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe('a.yaml:1:1: one\nb.yaml: two');
  });
});

describe('showPath', () => {
  it('is relative inside the cwd and absolute outside it', () => {
    expect(showPath('/work/x/campaign.yaml', '/work/x')).toBe('campaign.yaml');
    expect(showPath('/work/x/configs/a.yaml', '/work/x')).toBe(path.join('configs', 'a.yaml'));
    expect(showPath('/elsewhere/a.yaml', '/work/x')).toBe('/elsewhere/a.yaml');
    expect(showPath('/work/x', '/work/x')).toBe('.');
  });
});

describe('formatFieldPath', () => {
  it('dots keys, brackets indices, quotes odd keys', () => {
    expect(formatFieldPath(['execution', 'cycles'])).toBe('execution.cycles');
    expect(formatFieldPath(['configs', 2])).toBe('configs[2]');
    expect(formatFieldPath(['experiments', 0, 'overrides', 'pytorch.batch_size'])).toBe(
      'experiments[0].overrides["pytorch.batch_size"]',
    );
    expect(formatFieldPath([])).toBe('');
  });
  it('describes flags as typed', () => {
    expect(describeFlag('containerStrategy')).toBe('--container-strategy');
  });
});

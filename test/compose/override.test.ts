import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { overrideDocument, overridePath, writeOverrideFile } from '../../source/compose/override.js';

describe('override file', () => {
  it('keeps every service alive with init', () => {
    expect(overrideDocument(['pytorch', 'vllm'])).toEqual({
      services: {
        pytorch: { command: ['sleep', 'infinity'], init: true },
        vllm: { command: ['sleep', 'infinity'], init: true },
      },
    });
  });

  it('copies the base file\'s version and writes where overridePath says', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lem-ovr-'));
    try {
      const base = path.join(dir, 'docker-compose.yml');
      await writeFile(base, 'version: "3.8"\nservices:\n  pytorch:\n    image: x\n');
      const file = await writeOverrideFile({ dir, project: 'lem-1', services: ['pytorch'], baseFiles: [base] });
      expect(file).toBe(overridePath(dir, 'lem-1'));
      const doc = parse(await readFile(file, 'utf8'));
      expect(doc.version).toBe('3.8');
      expect(doc.services.pytorch.command).toEqual(['sleep', 'infinity']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

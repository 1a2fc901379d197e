// The records a local run leaves in the state dir (compose/localRunRecords.ts):
// written when the harness starts, read back with the leader's start time,
// removed when the attempt ends; a torn or foreign file is dropped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTicks } from '../../source/io/process/processGroups.js';
import { localRunsDir, readLocalRuns, recordLocalRun } from '../../source/compose/localRunRecords.js';

describe('local run records', () => {
  it('records: written at once, read back, removed by the attempt; junk is dropped', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lem-runs-'));
    const forget = recordLocalRun(stateDir, { pgid: process.pid, expId: '0007', gpus: ['1'] });
    fs.writeFileSync(path.join(localRunsDir(stateDir), 'junk.json'), '{"pgid": "x"');
    const runs = await readLocalRuns(stateDir);
    expect(runs.map((r) => r.record)).toEqual([
      expect.objectContaining({ pgid: process.pid, expId: '0007', gpus: ['1'], ownerPid: process.pid, startTicks: processStartTicks(process.pid) }),
    ]);
    expect(fs.readdirSync(localRunsDir(stateDir))).toEqual([`${process.pid}.json`]);
    forget();
    expect(await readLocalRuns(stateDir)).toEqual([]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
});

// Samples: the docker ps / events / inspect lines were captured on this
// machine (docker CLI 28.2 against engine 20.10, docker-compose 1.29.2).
import { describe, expect, it } from 'vitest';
import {
  exitCodeFromStatus,
  parseEventLine,
  parseInspect,
  parseLabelString,
  parsePsOutput,
  serviceStatusOf,
} from '../../source/compose/psFormats.js';

const PS_LINES = [
  '{"Command":"\\"sleep infinity\\"","CreatedAt":"2026-11-29 02:02:51 +0000 UTC","ID":"45807d1fc2e1","Image":"lem-tui-test:latest","Labels":"com.docker.compose.config-hash=7aa4566058ac,com.docker.compose.container-number=1,com.docker.compose.oneoff=False,com.docker.compose.project.config_files=dc.yml,override.yml,com.docker.compose.project.working_dir=/tmp/ct,com.docker.compose.project=ctest,com.docker.compose.service=a,com.docker.compose.version=1.29.2","LocalVolumes":"0","Mounts":"","Names":"ctest_a_1","Networks":"none","Platform":null,"Ports":"","RunningFor":"5 seconds ago","Size":"0B (virtual 1.98MB)","State":"running","Status":"Up 4 seconds"}',
  '{"Command":"\\"sh -c \'exit 3\'\\"","CreatedAt":"2026-11-29 02:11:58 +0000 UTC","ID":"93cb578584e3","Image":"lem-tui-test:latest","Labels":"com.docker.compose.oneoff=True,com.docker.compose.project=ctest,com.docker.compose.service=b","LocalVolumes":"0","Mounts":"","Names":"ctest-run-1","Networks":"none","Ports":"","RunningFor":"3 seconds ago","State":"exited","Status":"Exited (3) 2 seconds ago"}',
  '',
].join('\n');

const attrs = (extra: string) =>
  `{"com.docker.compose.oneoff":"False","com.docker.compose.project":"ctest","com.docker.compose.service":"a","image":"lem-tui-test:latest","name":"ctest_a_1"${extra}}`;
const event = (action: string, extra = '') =>
  `{"status":"${action}","id":"d23a6d3397ba","from":"lem-tui-test:latest","Type":"container","Action":"${action}","Actor":{"ID":"d23a6d3397ba","Attributes":${attrs(extra)}},"scope":"local","time":1795918321,"timeNano":1795918321195787222}`;

const INSPECT = JSON.stringify([
  {
    Id: '93cb578584e3045eb8429564e0b1a4a6c66bd19b8b0403c61786c7c817e9ce46',
    Name: '/ctest_b_1',
    RestartCount: 2,
    State: {
      Status: 'exited',
      Running: false,
      OOMKilled: true,
      ExitCode: 137,
      Error: '',
      StartedAt: '2026-11-29T02:11:59.302326261Z',
      FinishedAt: '2026-11-29T02:11:59.319483025Z',
    },
    Config: { Labels: { 'com.docker.compose.project': 'ctest', 'com.docker.compose.service': 'b', 'com.docker.compose.oneoff': 'False' } },
  },
  {
    Id: 'created0',
    Name: '/ctest_c_1',
    RestartCount: 0,
    State: { Status: 'created', Running: false, ExitCode: 0, StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
    Config: { Labels: {} },
  },
]);

describe('docker ps --format {{json .}}', () => {
  it('parses containers, labels and exit codes', () => {
    const [a, b] = parsePsOutput(PS_LINES);
    expect(a).toMatchObject({ id: '45807d1fc2e1', name: 'ctest_a_1', project: 'ctest', service: 'a', oneoff: false, state: 'running', exitCode: null });
    expect(a!.labels['com.docker.compose.project.config_files']).toBe('dc.yml,override.yml');
    expect(b).toMatchObject({ service: 'b', oneoff: true, state: 'exited', exitCode: 3 });
  });
  it('skips lines that are not JSON', () => {
    expect(parsePsOutput('Cannot connect\n{}\n')).toEqual([]);
  });
  it('splits label strings whose values hold commas', () => {
    expect(parseLabelString('a=1,files=x.yml,y.yml,b=2')).toEqual({ a: '1', files: 'x.yml,y.yml', b: '2' });
  });
  it('reads exit codes from status strings of both flavours', () => {
    expect(exitCodeFromStatus('Exited (137) 2 seconds ago')).toBe(137);
    expect(exitCodeFromStatus('exited (0)')).toBe(0);
    expect(exitCodeFromStatus('Exit 3')).toBe(3);
    expect(exitCodeFromStatus('Up 4 seconds')).toBeNull();
  });
});

describe('docker events --format {{json .}}', () => {
  it('parses die with its exit code', () => {
    expect(parseEventLine(event('die', ',"exitCode":"137"'))).toEqual({
      action: 'die',
      id: 'd23a6d3397ba',
      name: 'ctest_a_1',
      project: 'ctest',
      service: 'a',
      oneoff: false,
      exitCode: 137,
      signal: null,
      timeMs: 1795918321196,
    });
  });
  it('parses kill with its signal, and normalises exec actions', () => {
    expect(parseEventLine(event('kill', ',"signal":"9"'))).toMatchObject({ action: 'kill', signal: '9' });
    expect(parseEventLine(event('exec_create: true '))).toMatchObject({ action: 'exec_create' });
    expect(parseEventLine(event('exec_die', ',"exitCode":"0","execID":"fe71"'))).toMatchObject({ action: 'exec_die', exitCode: 0 });
  });
  it('ignores other event types and garbage', () => {
    expect(parseEventLine('{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{}}}')).toBeNull();
    expect(parseEventLine('not json')).toBeNull();
  });
});

describe('docker inspect', () => {
  it('reads RestartCount, times, exit code and OOMKilled', () => {
    const [b, c] = parseInspect(INSPECT);
    expect(b).toMatchObject({
      name: 'ctest_b_1',
      service: 'b',
      status: 'exited',
      running: false,
      restartCount: 2,
      exitCode: 137,
      oomKilled: true,
      error: null,
      startedAt: Date.parse('2026-11-29T02:11:59.302Z'),
    });
    expect(c).toMatchObject({ status: 'created', startedAt: null, finishedAt: null, service: null });
  });
  it('returns nothing for an error', () => {
    expect(parseInspect('')).toEqual([]);
    expect(parseInspect('[]')).toEqual([]);
  });
});

describe('serviceStatusOf', () => {
  it('maps engine states', () => {
    expect(serviceStatusOf('running')).toBe('running');
    expect(serviceStatusOf('restarting')).toBe('starting');
    expect(serviceStatusOf('exited')).toBe('exited');
    expect(serviceStatusOf('weird')).toBe('error');
  });
});

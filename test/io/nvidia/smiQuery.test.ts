// The nvidia-smi query lem-tui asks on the host and how its lines are read:
// literal lines in the stand-in's shape, and real captured ones (fixtures/gpu/real/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invalidField, parseQueryLine, probeArgv, queryArgv, SMI_FIELDS } from '../../../source/io/nvidia/smiQuery.js';

const real = (name: string) => readFileSync(`fixtures/gpu/real/${name}`, 'utf8');

describe('queryArgv', () => {
  it('asks the fields as csv without header or units, every intervalMs', () => {
    expect(queryArgv(['index', 'power.draw'], 500)).toEqual(['--query-gpu=index,power.draw', '--format=csv,noheader,nounits', '-lms', '500']);
  });

  it('the probe asks the same, once', () => {
    expect(probeArgv(['index', 'power.draw'])).toEqual(['--query-gpu=index,power.draw', '--format=csv,noheader,nounits']);
  });

  it('asks index, uuid, name, power, memory, utilization, temperature and both thermal slowdowns', () => {
    expect(SMI_FIELDS).toEqual([
      'index',
      'uuid',
      'name',
      'power.draw',
      'memory.used',
      'memory.total',
      'utilization.gpu',
      'temperature.gpu',
      'clocks_throttle_reasons.hw_thermal_slowdown',
      'clocks_throttle_reasons.sw_thermal_slowdown',
    ]);
  });
});

describe('invalidField', () => {
  it('names the field of the real message (stdout, then an empty line)', () => {
    expect(invalidField(real('invalid-field.stdout'))).toBe('device_minor');
  });

  it('also with typographic quotes', () => {
    expect(invalidField('Field “encoder.stats.sessionCount” is not a valid field to query.')).toBe('encoder.stats.sessionCount');
  });

  it('null for anything else', () => {
    expect(invalidField('0, NVIDIA H200, 75.23')).toBeNull();
    expect(invalidField('')).toBeNull();
  });
});

describe('parseQueryLine', () => {
  const fields = [...SMI_FIELDS];

  it('reads every field of a full line', () => {
    expect(parseQueryLine('0, GPU-5f2a9c1e-7b3d-4e8f-9a6b-0c1d2e3f4a50, NVIDIA H200, 75.23, 512, 143771, 3, 34, Not Active, Not Active', fields)).toEqual({
      index: 0,
      uuid: 'GPU-5f2a9c1e-7b3d-4e8f-9a6b-0c1d2e3f4a50',
      name: 'NVIDIA H200',
      powerW: 75.23,
      memoryUsedMiB: 512,
      memoryTotalMiB: 143771,
      utilizationPct: 3,
      temperatureC: 34,
      throttled: false,
    });
  });

  it('not reported is null, never 0: [N/A], [Not Supported], N/A, empty', () => {
    const r = parseQueryLine('1, [N/A], , [Not Supported], N/A, [N/A], [Unknown Error], 40, [N/A], Not Active', fields);
    expect(r).toMatchObject({ index: 1, uuid: null, name: null, powerW: null, memoryUsedMiB: null, memoryTotalMiB: null, utilizationPct: null });
    expect(r?.temperatureC).toBe(40);
  });

  it('throttled: either thermal slowdown active; false only when both are known and inactive', () => {
    const line = (hw: string, sw: string) => parseQueryLine(`0, u, n, 1, 1, 1, 1, 1, ${hw}, ${sw}`, fields)?.throttled;
    expect(line('Active', 'Not Active')).toBe(true);
    expect(line('Not Active', 'Active')).toBe(true);
    expect(line('[N/A]', 'Active')).toBe(true);
    expect(line('Not Active', 'Not Active')).toBe(false);
    expect(line('Not Active', '[N/A]')).toBeNull();
    expect(parseQueryLine('0, 75.23', ['index', 'power.draw'])?.throttled).toBeNull();
  });

  it('reads the newer clocks_event_reasons names and the gpu_ aliases', () => {
    const r = parseQueryLine('2, GPU-x, NVIDIA H200, Active, Not Active', [
      'index',
      'gpu_uuid',
      'gpu_name',
      'clocks_event_reasons.hw_thermal_slowdown',
      'clocks_event_reasons.sw_thermal_slowdown',
    ]);
    expect(r).toMatchObject({ index: 2, uuid: 'GPU-x', name: 'NVIDIA H200', throttled: true });
  });

  it('tolerates units on values (a query without nounits)', () => {
    expect(parseQueryLine('0, 75.23 W, 1024 MiB, 45 %', ['index', 'power.draw', 'memory.used', 'utilization.gpu'])).toMatchObject({
      powerW: 75.23,
      memoryUsedMiB: 1024,
      utilizationPct: 45,
    });
  });

  it('a line with the wrong number of values, or without an index, is not a reading', () => {
    expect(parseQueryLine('0, NVIDIA H200, 75.23', fields)).toBeNull();
    expect(parseQueryLine('', ['index'])).toBeNull();
    expect(parseQueryLine('[N/A], 75.23', ['index', 'power.draw'])).toBeNull();
    expect(parseQueryLine('Field "x" is not a valid field to query.', ['index'])).toBeNull();
  });

  it('a line that does not parse as a whole is not a reading: words where a number belongs, a stray unit, a flag that is neither', () => {
    const good = '0, GPU-a, NVIDIA H200, 75.23, 512, 143771, 3, 34, Not Active, Not Active';
    expect(parseQueryLine(good, fields)).not.toBeNull();
    expect(parseQueryLine('0, GPU-a, NVIDIA H200, lots, 512, 143771, 3, 34, Not Active, Not Active', fields)).toBeNull();
    expect(parseQueryLine('0, GPU-a, NVIDIA H200, 75.23, 512, 143771, three, 34, Not Active, Not Active', fields)).toBeNull();
    expect(parseQueryLine('0, GPU-a, NVIDIA H200, 75.23 bananas, 512, 143771, 3, 34, Not Active, Not Active', fields)).toBeNull();
    expect(parseQueryLine('0, GPU-a, NVIDIA H200, 75.23, 512, 143771, 3, 34, Maybe, Not Active', fields)).toBeNull();
    expect(parseQueryLine('x0, GPU-a, NVIDIA H200, 75.23, 512, 143771, 3, 34, Not Active, Not Active', fields)).toBeNull();
  });

  it('reads a real noheader,nounits line (driver 440, RTX 2080; an index put in front: that query used -i)', () => {
    const realFields = 'power.limit,power.min_limit,power.max_limit,memory.total,vbios_version,driver_version,name,gpu_uuid,power.draw,temperature.gpu,temperature.memory,clocks.current.graphics,clocks.sm,clocks.mem,utilization.gpu,utilization.memory,fan.speed,pcie.link.width.current,pstate'.split(',');
    const line = real('rtx2080-noheader-nounits.csv').trim();
    expect(parseQueryLine(`0, ${line}`, ['index', ...realFields])).toEqual({
      index: 0,
      uuid: 'GPU-22b2c6ac-2d49-4863-197c-9c469071178a',
      name: 'GeForce RTX 2080',
      powerW: 176.98,
      memoryUsedMiB: null,
      memoryTotalMiB: 7979,
      utilizationPct: 86,
      temperatureC: 45,
      throttled: null,
    });
  });

  it('reads a real nounits line with a header (its [Unknown Error] is just not read)', () => {
    const [header, line] = real('rtx2080ti-nounits.csv').trim().split('\n');
    const realFields = ['gpu_name', 'utilization.gpu', 'utilization.memory', 'temperature.gpu', 'power.draw', 'power.limit', 'fan.speed', 'clocks.current.graphics', 'clocks.current.memory', 'power.default_limit'];
    expect(header!.split(', ')).toHaveLength(realFields.length);
    const r = parseQueryLine(`3, ${line}`, ['index', ...realFields]);
    expect(r).toMatchObject({ index: 3, name: 'GeForce RTX 2080 Ti', utilizationPct: 100, temperatureC: 56, powerW: 228.82 });
  });

  it('reads a real line full of [N/A] (RTX 3080), taking its [N/A]s as nulls', () => {
    const line = real('rtx3080-na.csv').trim();
    const values = line.split(', ');
    // Only its first four fields are known (timestamp, index, name, uuid); the
    // fifth is [N/A] on that card: read here as power.draw to see it become null.
    const someFields = ['timestamp', 'index', 'name', 'uuid', 'power.draw', ...values.slice(5).map((_, i) => `other${i}`)];
    expect(parseQueryLine(line, someFields)).toMatchObject({ index: 0, name: 'NVIDIA GeForce RTX 3080', uuid: 'GPU-8fe3a97d-51f6-a669-0d80-b4530b81b816', powerW: null });
  });
});

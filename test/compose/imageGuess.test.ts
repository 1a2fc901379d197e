// The images a compose file names, guessed before `compose config` answers.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import path from 'node:path';
import { guessImages, guessImagesOf } from '../../source/compose/imageGuess.js';

const doc = (text: string): unknown => parse(text, { merge: true });

describe('guessImages', () => {
  it("reads each service's literal image, through YAML merge keys, once per image", () => {
    const base = doc(`
x-common: &common
  image: lem-tui-test:latest
services:
  pytorch: { <<: *common }
  vllm: { <<: *common }
  tensorrt: { image: other:1 }
`);
    expect(guessImages([base], ['pytorch', 'vllm'])).toEqual(['lem-tui-test:latest']);
    expect(guessImages([base], ['vllm', 'tensorrt'])).toEqual(['lem-tui-test:latest', 'other:1']);
  });

  it('a later file overrides an earlier one, as compose merges them', () => {
    const base = doc('services:\n  pytorch:\n    image: a:1\n');
    const over = doc('services:\n  pytorch:\n    image: b:2\n');
    const silent = doc('services:\n  pytorch:\n    environment: [X=1]\n');
    expect(guessImages([base, over], ['pytorch'])).toEqual(['b:2']);
    expect(guessImages([base, over, silent], ['pytorch'])).toEqual(['b:2']);
  });

  it('no guess when compose must resolve it: interpolation, extends, build only, a service it does not find', () => {
    expect(guessImages([doc('services:\n  pytorch:\n    image: lem:${TAG:-1}\n')], ['pytorch'])).toBeNull();
    expect(guessImages([doc('services:\n  pytorch:\n    extends: { service: base }\n    image: a:1\n')], ['pytorch'])).toBeNull();
    expect(guessImages([doc('services:\n  pytorch:\n    build: .\n')], ['pytorch'])).toBeNull();
    expect(guessImages([doc('services:\n  pytorch:\n    image: a:1\n')], ['pytorch', 'vllm'])).toBeNull();
    expect(guessImages([null, 'text'], ['pytorch'])).toBeNull();
  });

  it("reads llenergymeasure's own compose file; a file that does not parse gives no guess", async () => {
    const real = path.resolve('fixtures/llenergymeasure/docker-compose.yml');
    expect(await guessImagesOf([real], ['pytorch', 'vllm'])).toEqual(['llenergymeasure:pytorch', 'llenergymeasure:vllm']);
    expect(await guessImagesOf([path.resolve('no-such-file.yml')], ['pytorch'])).toBeNull();
  });
});

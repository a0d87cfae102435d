import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOutputError } from '../../errors';
import { catchError } from '../../test-support/catch-error';
import { parseOutputs } from './output-patterns';

describe('parseOutputs', () => {
  it('takes a plain output and everything below it', () => {
    const patterns = parseOutputs(['dist/libs/a', './dist/b.txt', 'dist/c/']);
    assert.deepEqual(patterns.plainPaths, ['dist/libs/a', 'dist/b.txt', 'dist/c']);
    assert.equal(patterns.covers('dist/libs/a'), true);
    assert.equal(patterns.covers('dist/libs/a/x/y.js'), true);
    assert.equal(patterns.covers('dist/b.txt'), true);
    assert.equal(patterns.covers('dist/c/d'), true);
    assert.equal(patterns.covers('dist/libs/ab'), false);
    assert.equal(patterns.covers('dist/libs'), false);
    assert.equal(patterns.covers('dist'), false);
  });

  it('takes what a glob matches, and what lies below a matching folder', () => {
    const patterns = parseOutputs(['dist/a/**/*.js', 'dist/pkgs/*']);
    assert.deepEqual(patterns.plainPaths, []);
    assert.deepEqual(patterns.walkRoots, ['dist/a', 'dist/pkgs']);
    assert.equal(patterns.covers('dist/a/x/y.js'), true);
    assert.equal(patterns.covers('dist/a/x/y.ts'), false);
    assert.equal(patterns.covers('dist/a'), false);
    assert.equal(patterns.covers('dist/pkgs/p1/package.json'), true);
  });

  it('excludes what a ! output names, from every output', () => {
    const patterns = parseOutputs(['dist/a', 'dist/b/**', '!dist/a/cache', '!**/*.map']);
    assert.equal(patterns.covers('dist/a/main.js'), true);
    assert.equal(patterns.covers('dist/a/cache'), false);
    assert.equal(patterns.covers('dist/a/cache/x'), false);
    assert.equal(patterns.covers('dist/a/main.js.map'), false);
    assert.equal(patterns.covers('dist/b/x.map'), false);
    assert.equal(patterns.mayCoverBelow('dist/a/cache'), false);
    assert.equal(patterns.mayCoverBelow('dist'), true);
  });

  it('takes nothing when only ! outputs are declared', () => {
    const patterns = parseOutputs(['!dist/a']);
    assert.equal(patterns.covers('dist/b'), false);
    assert.deepEqual(patterns.walkRoots, []);
  });

  for (const output of [
    '../outside',
    'dist/../../outside',
    '/abs/dist',
    'C:/dist',
    '.',
    './',
    '{..,dist}/x',
    '!/abs',
  ]) {
    it(`refuses the output ${JSON.stringify(output)}, which is not inside the workspace`, () => {
      const error = catchError(() => parseOutputs(['dist/ok', output], 'app:build'));
      assert.ok(error instanceof InvalidOutputError);
      assert.equal(error.output, output);
      assert.match(error.message, /Task app:build declares the output/);
    });
  }
});

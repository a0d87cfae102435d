import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob, isGlob } from './glob-pattern';

describe('compileGlob', () => {
  const table: [pattern: string, path: string, matches: boolean][] = [
    ['dist/*.js', 'dist/a.js', true],
    ['dist/*.js', 'dist/.hidden.js', true],
    ['dist/*.js', 'dist/sub/a.js', false],
    ['dist/*.js', 'dist/a.ts', false],
    ['dist/**/*.js', 'dist/a.js', true],
    ['dist/**/*.js', 'dist/x/y/z/a.js', true],
    ['dist/**/*.js', 'other/a.js', false],
    ['dist/**', 'dist', true],
    ['dist/**', 'dist/x/y', true],
    ['**/*.map', 'a/b.map', true],
    ['**/*.map', 'b.map', true],
    ['dist/a**b', 'dist/a-x-b', true],
    ['dist/a**b', 'dist/a/b', false],
    ['dist/?.txt', 'dist/a.txt', true],
    ['dist/?.txt', 'dist/ab.txt', false],
    ['dist/[ab].txt', 'dist/b.txt', true],
    ['dist/[ab].txt', 'dist/c.txt', false],
    ['dist/[!ab].txt', 'dist/c.txt', true],
    ['dist/[a-c]x', 'dist/bx', true],
    ['dist/[a-c]x', 'dist/dx', false],
    ['dist/{a,b}/x', 'dist/b/x', true],
    ['dist/{a,b}/x', 'dist/c/x', false],
    ['dist/{a,b{c,d}}', 'dist/bd', true],
    ['dist/\\*', 'dist/*', true],
    ['dist/\\*', 'dist/a', false],
    ['dist/a.b', 'dist/aXb', false],
  ];
  for (const [pattern, path, expected] of table) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(compileGlob(pattern).matches(path), expected);
    });
  }

  it('gives the static base folder of each alternative', () => {
    assert.deepEqual(compileGlob('dist/libs/a/**/*.js').bases, ['dist/libs/a']);
    assert.deepEqual(compileGlob('dist/{a,b/c}/*.js').bases, ['dist']);
    assert.deepEqual(compileGlob('*.tgz').bases, ['']);
  });

  it('tells which folders a match can lie below', () => {
    const glob = compileGlob('dist/*/lib/*.js');
    assert.equal(glob.mayMatchBelow(''), true);
    assert.equal(glob.mayMatchBelow('dist'), true);
    assert.equal(glob.mayMatchBelow('dist/a/lib'), true);
    assert.equal(glob.mayMatchBelow('node_modules'), false);
    assert.equal(glob.mayMatchBelow('distant'), false);
    assert.equal(compileGlob('dist/**/*.js').mayMatchBelow('dist/x/y/z'), true);
  });
});

describe('isGlob', () => {
  it('tells globs from plain paths', () => {
    assert.equal(isGlob('dist/libs/a'), false);
    assert.equal(isGlob('dist/**/*.js'), true);
    assert.equal(isGlob('dist/{a,b}'), true);
    assert.equal(isGlob('dist/?'), true);
    assert.equal(isGlob('dist/[ab]'), true);
  });
});

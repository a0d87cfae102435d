import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNearestNames } from './nearest-names';

const projects = ['app', 'api', 'shared-ui', 'shared-utils', 'data-access', 'feature-login'];

describe('findNearestNames', () => {
  it('suggests the name a one-letter typo was meant to be', () => {
    assert.deepEqual(findNearestNames('biuld', ['build', 'test', 'lint', 'serve']), ['build']);
    assert.equal(findNearestNames('data-acess', projects)[0], 'data-access');
  });

  it('puts the closest name first', () => {
    const nearest = findNearestNames('shared-util', projects);
    assert.equal(nearest[0], 'shared-utils');
  });

  it('matches regardless of case but returns the names as spelled', () => {
    assert.deepEqual(findNearestNames('BUILD', ['build', 'test']), ['build']);
  });

  it('suggests a name that contains the typed one', () => {
    assert.ok(findNearestNames('login', projects).includes('feature-login'));
  });

  it('suggests nothing for an unrelated name', () => {
    assert.deepEqual(findNearestNames('kubernetes', projects), []);
    assert.deepEqual(findNearestNames('deploy', ['build', 'test', 'lint']), []);
  });

  it('suggests nothing when there are no candidates', () => {
    assert.deepEqual(findNearestNames('build', []), []);
  });

  it('returns at most `limit` names, each once', () => {
    const nearest = findNearestNames('lib', ['lib1', 'lib2', 'lib3', 'lib4', 'lib1'], 2);
    assert.equal(nearest.length, 2);
    assert.equal(new Set(nearest).size, 2);
  });
});

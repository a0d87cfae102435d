import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProjectGraphProjectNode, TargetConfiguration } from '@nx/devkit';
import { UnknownProjectError, UnknownTargetError } from '../errors';
import { selectProjects, type ProjectSelection } from './select-projects';
import { catchError } from '../test-support/catch-error';

function project(name: string, targets: string[], tags: string[] = []): ProjectGraphProjectNode {
  const data: Record<string, TargetConfiguration> = {};
  for (const target of targets) data[target] = { executor: 'nx:noop' };
  return { name, type: 'lib', data: { root: `libs/${name}`, tags, targets: data } };
}

const nodes: Record<string, ProjectGraphProjectNode> = {
  app: project('app', ['build', 'serve'], ['type:app']),
  'lib-a': project('lib-a', ['build', 'test'], ['type:lib', 'scope:shared']),
  'lib-b': project('lib-b', ['build'], ['type:lib']),
  docs: project('docs', ['lint'], ['type:docs']),
};

function select(selection: Partial<ProjectSelection>): string[] {
  return selectProjects(nodes, { projects: ['*'], excludeProjects: [], targets: ['build'], ...selection }).sort();
}

describe('selectProjects', () => {
  it('selects projects by name', () => {
    assert.deepEqual(select({ projects: ['app', 'lib-b'] }), ['app', 'lib-b']);
  });

  it('selects projects by glob', () => {
    assert.deepEqual(select({ projects: ['lib-*'] }), ['lib-a', 'lib-b']);
  });

  it('selects projects by tag', () => {
    assert.deepEqual(select({ projects: ['tag:type:lib'] }), ['lib-a', 'lib-b']);
    assert.deepEqual(select({ projects: ['tag:scope:shared'] }), ['lib-a']);
  });

  it('"*" selects every project that has the target', () => {
    assert.deepEqual(select({ projects: ['*'] }), ['app', 'lib-a', 'lib-b']);
  });

  it('passes over selected projects that lack every target', () => {
    assert.deepEqual(select({ projects: ['app', 'docs'] }), ['app']);
    assert.deepEqual(select({ projects: ['*'], targets: ['test'] }), ['lib-a']);
  });

  it('keeps a project that has any one of several targets', () => {
    assert.deepEqual(select({ projects: ['*'], targets: ['test', 'lint'] }), ['docs', 'lib-a']);
  });

  it('leaves out excluded projects by name, glob and tag', () => {
    assert.deepEqual(select({ excludeProjects: ['app'] }), ['lib-a', 'lib-b']);
    assert.deepEqual(select({ excludeProjects: ['lib-*'] }), ['app']);
    assert.deepEqual(select({ excludeProjects: ['tag:type:lib'] }), ['app']);
  });

  it('yields nothing, without an error, when every selected project lacks the target', () => {
    assert.deepEqual(select({ projects: ['docs'], targets: ['build'] }), []);
  });

  it('refuses a project name that matches nothing, naming it and the nearest name', () => {
    const error = catchError(() => select({ projects: ['app', 'lib-c'] }));
    assert.ok(error instanceof UnknownProjectError);
    assert.equal(error.pattern, 'lib-c');
    assert.equal(error.option, 'projects');
    assert.ok(error.nearest.includes('lib-a') || error.nearest.includes('lib-b'), error.message);
    assert.match(error.message, /'lib-c'/);
  });

  it('refuses a glob that matches nothing', () => {
    const error = catchError(() => select({ projects: ['feature-*'] }));
    assert.ok(error instanceof UnknownProjectError);
    assert.equal(error.pattern, 'feature-*');
  });

  it('refuses an unknown tag and suggests the nearest tag', () => {
    const error = catchError(() => select({ projects: ['tag:type:lbi'] }));
    assert.ok(error instanceof UnknownProjectError);
    assert.equal(error.pattern, 'tag:type:lbi');
    assert.equal(error.nearest[0], 'tag:type:lib');
  });

  it('refuses an excluded pattern that matches nothing, naming the option', () => {
    const error = catchError(() => select({ excludeProjects: ['ap'] }));
    assert.ok(error instanceof UnknownProjectError);
    assert.equal(error.option, 'excludeProjects');
    assert.ok(error.nearest.includes('app'));
  });

  it('refuses a target no project has, naming it and suggesting the nearest target', () => {
    const error = catchError(() => select({ targets: ['biuld'] }));
    assert.ok(error instanceof UnknownTargetError);
    assert.equal(error.target, 'biuld');
    assert.deepEqual(error.nearest, ['build']);
    assert.match(error.message, /'biuld'.*'build'/);
  });

  it('suggests nothing for an unrelated unknown target', () => {
    const error = catchError(() => select({ targets: ['deploy-to-production'] }));
    assert.ok(error instanceof UnknownTargetError);
    assert.deepEqual(error.nearest, []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectRoots } from './create-nodes';

describe('inferred parallel targets', () => {
  it('takes every project.json, and the package.json files Nx makes projects of', () => {
    const inWorkspaces = (file: string): boolean => file.startsWith('packages/');
    const roots = projectRoots(
      ['apps/app/project.json', 'apps/app/package.json', 'packages/a/package.json', 'tools/x/package.json'],
      inWorkspaces,
    );
    assert.deepEqual(roots.sort(), ['apps/app', 'packages/a']);
  });

  it('takes a package.json next to a project.json even outside the workspaces', () => {
    assert.deepEqual(
      projectRoots(['package.json', 'project.json'], () => false),
      ['.'],
    );
  });
});

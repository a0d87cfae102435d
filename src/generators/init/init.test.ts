import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addProjectConfiguration, readNxJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import initGenerator from './init';

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  addProjectConfiguration(tree, 'app', { root: 'apps/app', targets: { build: { executor: 'nx:noop' } } });
  return tree;
}

const expected = { executor: 'nx-parallel:parallel', cache: false, options: { targets: ['build'] } };

describe('init generator', () => {
  it('adds a parallel target to the project it is given', async () => {
    const tree = workspace();
    await initGenerator(tree, { project: 'app', skipFormat: true });
    assert.deepEqual(readProjectConfiguration(tree, 'app').targets?.parallel, expected);
    assert.equal(readNxJson(tree)?.targetDefaults?.parallel, undefined);
  });

  it('adds it to nx.json targetDefaults when asked', async () => {
    const tree = workspace();
    await initGenerator(tree, { targetDefaults: true, skipFormat: true });
    assert.deepEqual(readNxJson(tree)?.targetDefaults?.parallel, expected);
    assert.equal(readNxJson(tree)?.plugins, undefined);
  });

  it('registers the plugin when no project is given, once', async () => {
    const tree = workspace();
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    assert.deepEqual(readNxJson(tree)?.plugins, ['nx-parallel/plugin']);
    assert.equal(readNxJson(tree)?.targetDefaults?.parallel, undefined);
  });

  it('passes another target name to the plugin', async () => {
    const tree = workspace();
    await initGenerator(tree, { targetName: 'warm', skipFormat: true });
    assert.deepEqual(readNxJson(tree)?.plugins, [{ plugin: 'nx-parallel/plugin', options: { targetName: 'warm' } }]);
  });

  it('changes nothing when run twice, and keeps a target that exists', async () => {
    const tree = workspace();
    await initGenerator(tree, { project: 'app', targetDefaults: true, skipFormat: true });
    const before = tree.listChanges().map((change) => [change.path, change.content?.toString()]);
    await initGenerator(tree, { project: 'app', targetDefaults: true, skipFormat: true });
    assert.deepEqual(
      tree.listChanges().map((change) => [change.path, change.content?.toString()]),
      before,
    );
  });

  it('takes another target name', async () => {
    const tree = workspace();
    await initGenerator(tree, { project: 'app', targetName: 'build-all', skipFormat: true });
    assert.deepEqual(readProjectConfiguration(tree, 'app').targets?.['build-all'], expected);
  });
});

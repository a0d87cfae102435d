/**
 * Runnable right after `nx add`: `nx g nx-parallel:init` in a workspace without any nx-parallel
 * target leaves one where `nx run <project>:parallel` works with no edit, for project.json and
 * package.json projects, and says what it did; its `--help` describes every option.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, removeWorkspace, type Workspace } from './support/workspace';
import { runNx } from './support/run-nx';
import { taskIds } from './support/records';

describe('nx g nx-parallel:init', () => {
  let workspace: Workspace;

  before(async () => {
    const sandbox = await getSandbox();
    workspace = makeWorkspace(sandbox, {
      name: 'init',
      projects: { lib: {}, app: { deps: ['lib'] } },
      files: {
        'package.json': JSON.stringify({ name: 'init', private: true, workspaces: ['packages/*'] }),
        'packages/pkg/package.json': JSON.stringify({
          name: 'pkg',
          nx: { implicitDependencies: ['lib'], targets: { build: { executor: './tools/record:record' } } },
        }),
      },
    });
  });
  after(() => removeWorkspace(workspace));

  test('registers the plugin, says so, and every project can run its parallel target', async () => {
    const init = await runNx(workspace, ['g', 'nx-parallel:init']);
    assert.equal(init.code, 0, init.output);
    assert.match(
      init.output,
      /Registered the plugin 'nx-parallel\/plugin' in nx\.json: every project now has a 'parallel' target/,
    );
    const nxJson = JSON.parse(fs.readFileSync(path.join(workspace.root, 'nx.json'), 'utf8')) as { plugins?: unknown[] };
    assert.deepEqual(nxJson.plugins, ['nx-parallel/plugin']);

    const app = await runNx(workspace, ['run', 'app:parallel']);
    assert.equal(app.code, 0, app.output);
    assert.deepEqual(taskIds(app.records), ['app:build', 'lib:build']);

    const pkg = await runNx(workspace, ['run', 'pkg:parallel']);
    assert.equal(pkg.code, 0, pkg.output);
    assert.deepEqual(taskIds(pkg.records), ['lib:build', 'pkg:build']);

    const again = await runNx(workspace, ['g', 'nx-parallel:init']);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /already registers the plugin/);
  });

  test('--help describes the generator and each option', async () => {
    const help = await runNx(workspace, ['g', 'nx-parallel:init', '--help']);
    assert.equal(help.code, 0, help.output);
    assert.doesNotMatch(help.output, /undefined/);
    for (const option of ['--plugin', '--project', '--targetDefaults', '--targetName']) {
      assert.match(help.output, new RegExp(option), option);
    }
    assert.match(help.output, /registers its plugin in nx\.json/);
  });
});

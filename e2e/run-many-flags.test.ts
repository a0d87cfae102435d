/**
 * No silent wrong run: the run-many flags `nx run` keeps for itself are refused, naming the option
 * to use, before any task runs; under `nx run-many` they stay Nx's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';
import { runNx } from './support/run-nx';
import { taskIds } from './support/records';

describe('run-many flags given to nx run', () => {
  let workspace: Workspace;

  before(async () => {
    const sandbox = await getSandbox();
    workspace = makeWorkspace(sandbox, {
      name: 'flags',
      projects: {
        lib: { targets: { build: {}, test: {} } },
        app: { deps: ['lib'], targets: { build: {}, test: {}, parallel: parallelTarget({ nWorkers: 2 }) } },
      },
    });
  });
  after(() => removeWorkspace(workspace));

  const CASES: [string[], RegExp][] = [
    [['-t', 'test'], /'nx run' takes '-t' for itself.*Use '--targets=<names>' instead/s],
    [['--target=test'], /takes '--target' .*Use '--targets=<names>'/s],
    [['--parallel=3'], /takes '--parallel' .*Use '--nWorkers=<n> \(-n\)'/s],
    [['--exclude=lib'], /takes '--exclude' .*Use '--excludeProjects=<names>'/s],
    [['--excludeTaskDependencies'], /takes '--excludeTaskDependencies' .*Use '--onlySelected'/s],
    [['--nx-bail'], /takes '--nx-bail' .*Use '--bail'/s],
  ];
  for (const [flags, message] of CASES) {
    test(`refuses ${flags.join(' ')} before anything runs`, async () => {
      const run = await runNx(workspace, ['run', 'app:parallel', ...flags]);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, message);
      assert.deepEqual(run.records, []);
    });
  }

  test('refuses them in the infix form', async () => {
    const run = await runNx(workspace, ['parallel', 'app', '-t', 'test']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /takes '-t' for itself/);
  });

  test('runs with the replacements', async () => {
    const run = await runNx(workspace, ['run', 'app:parallel', '--targets=test', '--onlySelected', '-n', '1']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['app:test']);
  });

  test('leaves them to Nx under nx run-many', async () => {
    const run = await runNx(workspace, ['run-many', '-t', 'parallel', '-p', 'app', '--parallel=1']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['app:build', 'lib:build']);
  });
});

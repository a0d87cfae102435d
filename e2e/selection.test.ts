/**
 * Which tasks run: configuration forwarding, project selection (tags, `*`, exclusions), several
 * targets, `onlySelected`, refusals that name what was wrong, and the same task set as `nx run-many`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getSandbox, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type TargetSpec, type Workspace } from './support/workspace';
import { runNx, type NxRun } from './support/run-nx';
import { taskIds } from './support/records';

/** A build with a `prod` configuration that records which configuration it ran with. */
const buildWithProd: TargetSpec = { options: { value: 'none' }, configurations: { prod: { value: 'prod' } } };

describe('task selection', () => {
  let sandbox: Sandbox;
  let workspace: Workspace;
  const cleanup: Workspace[] = [];
  const parallel = (args: string[] = []): Promise<NxRun> => runNx(workspace, ['run', 'app:parallel', ...args]);

  before(async () => {
    sandbox = await getSandbox();
    // app -> api -> lib, app -> web -> util; lib and api are tagged api, web is tagged web.
    workspace = makeWorkspace(sandbox, {
      name: 'selection',
      projects: {
        lib: { tags: ['api'], targets: { build: buildWithProd, test: {} } },
        util: {},
        api: { tags: ['api'], deps: ['lib'], targets: { build: buildWithProd, test: {} } },
        web: { tags: ['web'], deps: ['util'] },
        app: {
          deps: ['api', 'web'],
          targets: {
            build: {},
            parallel: parallelTarget({ nWorkers: 2 }, { prod: {} }),
            'parallel-prod': parallelTarget({ nWorkers: 2, configuration: 'prod' }),
          },
        },
      },
    });
    cleanup.push(workspace);
  });
  after(() => cleanup.forEach(removeWorkspace));

  const EVERY_BUILD = ['api:build', 'app:build', 'lib:build', 'util:build', 'web:build'];
  const PROD_BUILDS = ['api:build:prod', 'app:build', 'lib:build:prod', 'util:build', 'web:build'];

  function assertProdForwarded(run: NxRun): void {
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), PROD_BUILDS);
    for (const record of run.records) {
      const expected = record.task.endsWith(':prod') ? 'prod' : record.task.match(/^(lib|api):/) ? 'none' : undefined;
      assert.equal(record.value, expected, record.task);
    }
  }

  test("forwards the 'configuration' option to the tasks that have it", async () => {
    assertProdForwarded(await runNx(workspace, ['run', 'app:parallel-prod']));
  });

  test("forwards the parallel target's own configuration (-c prod)", async () => {
    assertProdForwarded(await parallel(['-c', 'prod']));
  });

  test('selects projects by tag, with the dependencies their targets pull in', async () => {
    const run = await parallel(['--projects=tag:web']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['util:build', 'web:build']);
  });

  test("selects every project with '*'", async () => {
    const run = await parallel(['--projects=*']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), EVERY_BUILD);
  });

  test('leaves out excluded projects', async () => {
    const run = await parallel(['--projects=*', '--excludeProjects=app,tag:web']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['api:build', 'lib:build', 'util:build']);
  });

  test('runs several targets, passing over projects that lack one', async () => {
    const run = await parallel(['--projects=tag:api,util', '--targets=build,test']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['api:build', 'api:test', 'lib:build', 'lib:test', 'util:build']);
  });

  test('runs only the selected tasks with onlySelected', async () => {
    const run = await parallel(['--projects=api', '--onlySelected']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['api:build']);
  });

  test('refuses an unknown project, naming it and the nearest names, and runs nothing', async () => {
    const run = await parallel(['--projects=apx']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /No project matches 'apx'/);
    assert.match(run.output, /Did you mean .*'(api|app)'/);
    assert.deepEqual(run.records, []);
  });

  test('refuses an unknown target, naming it and the nearest names, and runs nothing', async () => {
    const run = await parallel(['--targets=biuld']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /target named 'biuld'/);
    assert.match(run.output, /Did you mean .*'build'/);
    assert.deepEqual(run.records, []);
  });

  test('succeeds and says so when the selection has no task', async () => {
    const run = await parallel(['--projects=web', '--targets=test']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /No tasks to run/);
    assert.deepEqual(run.records, []);
  });

  for (const [selection, runManyArgs] of [
    [['--projects=tag:api,web'], ['--projects=tag:api,web']],
    [
      ['--projects=*', '--excludeProjects=app'],
      ['--projects=*', '--exclude=app'],
    ],
    [
      ['--projects=api', '--onlySelected'],
      ['--projects=api', '--excludeTaskDependencies'],
    ],
  ] as const) {
    test(`runs the tasks nx run-many runs for ${selection.join(' ')}`, async () => {
      const expected = await runNx(workspace, ['run-many', '-t', 'build', ...runManyArgs]);
      assert.equal(expected.code, 0, expected.output);
      const run = await parallel([...selection]);
      assert.equal(run.code, 0, run.output);
      assert.ok(run.records.length > 0);
      assert.deepEqual(taskIds(run.records), taskIds(expected.records));
    });
  }

  test('refuses a cycle, naming its tasks, and runs nothing', async () => {
    const cyclic = makeWorkspace(sandbox, {
      name: 'selection-cycle',
      projects: {
        loop: {
          targets: {
            build: { dependsOn: ['test'] },
            test: { dependsOn: ['build'] },
            parallel: parallelTarget({ targets: ['build'] }),
          },
        },
      },
    });
    cleanup.push(cyclic);
    const run = await runNx(cyclic, ['run', 'loop:parallel']);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /circular dependency: .*loop:(build|test) --> loop:(build|test)/);
    assert.deepEqual(run.records, []);
  });
});

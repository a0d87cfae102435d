/**
 * The environment of each task, as `nx run-many` would give it: Nx's task variables, the task's own
 * project's `.env` file, nothing left over from the task that ran before on the same worker, and
 * nothing of the `parallel` target's own project's `.env`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';
import { runNx, type NxRun } from './support/run-nx';
import { recordOf, taskIds } from './support/records';

const RECORD_ENV = ['FROM_DOTENV', 'APP_DOTENV', 'LEAKED'];

for (const backend of ['processes', 'threads', 'inline'] as const) {
  describe(`task environment on ${backend}`, () => {
    let workspace: Workspace;
    let run: NxRun;
    before(async () => {
      // One worker and a chain first <- second <- app, so the three run one after another on it.
      workspace = makeWorkspace(await getSandbox(), {
        name: `env-${backend}`,
        projects: {
          first: {
            files: { '.env': 'FROM_DOTENV=first\n' },
            targets: {
              build: {
                options: { recordEnv: RECORD_ENV, setEnv: { LEAKED: 'set by first:build' } },
                configurations: { prod: { value: 'prod' } },
              },
            },
          },
          second: { deps: ['first'], targets: { build: { options: { recordEnv: RECORD_ENV } } } },
          app: {
            deps: ['second'],
            files: { '.env': 'APP_DOTENV=app\n' },
            targets: {
              build: { options: { recordEnv: RECORD_ENV } },
              parallel: parallelTarget({ nWorkers: 1, parallelBackend: backend, configuration: 'prod' }),
            },
          },
        },
      });
      run = await runNx(workspace, ['run', 'app:parallel']);
    });
    after(() => removeWorkspace(workspace));

    test('runs the chain on one worker', () => {
      assert.equal(run.code, 0, run.output);
      assert.deepEqual(taskIds(run.records), ['app:build', 'first:build:prod', 'second:build']);
      if (backend !== 'threads') assert.equal(new Set(run.records.map((record) => record.pid)).size, 1);
      else assert.equal(new Set(run.records.map((record) => record.threadId)).size, 1);
    });

    test("sets Nx's task variables for each task", () => {
      for (const [task, project, configuration] of [
        ['first:build:prod', 'first', 'prod'],
        ['second:build', 'second', undefined],
        ['app:build', 'app', undefined],
      ] as const) {
        const { env } = recordOf(run.records, task);
        assert.equal(env.NX_TASK_TARGET_PROJECT, project, task);
        assert.equal(env.NX_TASK_TARGET_TARGET, 'build', task);
        assert.equal(env.NX_TASK_TARGET_CONFIGURATION, configuration, task);
        assert.equal(env.NX_WORKSPACE_ROOT, workspace.root, task);
      }
    });

    test("loads a project's .env file for its own tasks only", () => {
      assert.equal(recordOf(run.records, 'first:build:prod').env.FROM_DOTENV, 'first');
      assert.equal(recordOf(run.records, 'second:build').env.FROM_DOTENV, undefined);
      assert.equal(recordOf(run.records, 'app:build').env.FROM_DOTENV, undefined);
    });

    test("keeps the parallel target's own project's .env to that project's tasks", () => {
      assert.equal(recordOf(run.records, 'app:build').env.APP_DOTENV, 'app');
      assert.equal(recordOf(run.records, 'first:build:prod').env.APP_DOTENV, undefined);
      assert.equal(recordOf(run.records, 'second:build').env.APP_DOTENV, undefined);
    });

    test('does not leak a variable a task set into the next task on the same worker', () => {
      assert.equal(recordOf(run.records, 'second:build').env.LEAKED, undefined);
      assert.equal(recordOf(run.records, 'app:build').env.LEAKED, undefined);
    });
  });
}

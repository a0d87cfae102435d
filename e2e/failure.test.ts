/**
 * A failing task: its dependents are skipped and never run, independent tasks still run, the run
 * fails, and the summary names the failed tasks with their reasons. A throwing executor's error
 * reaches the output with its stack.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';
import { runNx, type NxRun } from './support/run-nx';
import { taskIds } from './support/records';

const THROWN = 'kaboom from the thrower executor';

for (const backend of ['processes', 'threads'] as const) {
  describe(`a failing task on ${backend}`, () => {
    let workspace: Workspace;
    let run: NxRun;
    before(async () => {
      workspace = makeWorkspace(await getSandbox(), {
        name: `failure-${backend}`,
        projects: {
          broken: { targets: { build: { options: { fail: true } } } },
          dependent: { deps: ['broken'] },
          grand: { deps: ['dependent'] },
          solo: {},
          thrower: { targets: { build: { options: { throwMessage: THROWN } } } },
          runner: { targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 2, parallelBackend: backend }) } },
        },
      });
      run = await runNx(workspace, ['run', 'runner:parallel']);
    });
    after(() => removeWorkspace(workspace));

    test('fails the run', () => {
      assert.notEqual(run.code, 0, run.output);
    });

    test('never runs the dependents of a failed task, and runs the independent ones', () => {
      assert.deepEqual(taskIds(run.records), ['broken:build', 'solo:build', 'thrower:build']);
    });

    test('counts and names the failed tasks with their reasons in the summary', () => {
      assert.match(run.output, /\b1 succeeded, 2 failed, 2 skipped\b/);
      assert.match(run.output, /- broken:build \(failed: the executor reported failure\)/);
      assert.match(run.output, /- thrower:build \(failed: threw\)/);
    });

    test("shows a throwing executor's message and stack", () => {
      assert.match(run.output, new RegExp(`Error: ${THROWN}\\n\\s+at .*record\\.js:\\d+`));
    });

    test('leaves no process behind', () => {
      assert.deepEqual(run.leftovers, []);
    });
  });
}

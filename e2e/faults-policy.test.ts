/**
 * The failure policy in real runs: `retries` re-runs a task whose worker died but never a task that
 * failed; `bail` and `maxFailures` start nothing new after the failure yet let running tasks finish;
 * `maxTasksPerWorker: 1` gives every task a fresh worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordOf, taskIds } from './support/records';
import { runNx, type NxRun } from './support/run-nx';
import { getSandbox } from './support/sandbox';
import { startMarkOf } from './support/start-marks';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const RACE = ['fast:build', 'long:build'];

for (const backend of ['processes', 'threads'] as const) {
  describe(`the failure policy on ${backend}`, () => {
    let workspace: Workspace;
    const runTarget = (target: string): Promise<NxRun> => runNx(workspace, ['run', `runner:${target}`]);
    const target = (options: Record<string, unknown>) => parallelTarget({ parallelBackend: backend, ...options });
    before(async () => {
      workspace = makeWorkspace(await getSandbox(), {
        name: `faults-policy-${backend}`,
        projects: {
          flaky: { targets: { build: { options: { crashOnce: true } } } },
          failing: { targets: { build: { options: { fail: true } } } },
          // With one worker, `bad` runs first: it has the most dependents.
          bad: { targets: { build: { options: { fail: true } } } },
          'bad-child': { deps: ['bad'] },
          'bad-grandchild': { deps: ['bad-child'] },
          x: {},
          y: {},
          // Both start at once; `fast` fails while `long` waits for it to be done.
          fast: { targets: { build: { options: { fail: true, barrier: RACE } } } },
          long: { targets: { build: { options: { barrier: RACE, waitForRecords: ['fast:build'] } } } },
          'fast-child': { deps: ['fast'] },
          'long-child': { deps: ['long'] },
          later: {},
          'fresh-a': {},
          'fresh-b': {},
          'fresh-c': {},
          'fresh-d': {},
          runner: {
            targets: {
              'retry-once': target({ projects: ['flaky'], retries: 1 }),
              'no-retry': target({ projects: ['flaky'], retries: 0 }),
              'retry-failing': target({ projects: ['failing'], retries: 2 }),
              bail: target({ projects: ['bad', 'bad-child', 'bad-grandchild', 'x', 'y'], nWorkers: 1, bail: true }),
              'max-failures': target({
                projects: ['fast', 'fast-child', 'long', 'long-child', 'later'],
                nWorkers: 2,
                maxFailures: 1,
              }),
              fresh: target({ projects: ['fresh-*'], nWorkers: 2, maxTasksPerWorker: 1 }),
            },
          },
        },
      });
    });
    after(() => removeWorkspace(workspace));

    test('retries: 1 runs a task again whose worker died on the first attempt, and it succeeds', async () => {
      const run = await runTarget('retry-once');
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /\b1 succeeded, 0 failed, 0 skipped\b/);
      assert.match(run.output, /Starting the task again \(retry 1\)/);
      assert.equal(run.records.filter((record) => record.task === 'flaky:build').length, 1);
      assert.deepEqual(run.leftovers, []);
    });

    test('retries: 0 fails the same task with worker-crashed', async () => {
      const run = await runTarget('no-retry');
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /- flaky:build \(failed: worker-crashed\)/);
      assert.doesNotMatch(run.output, /Starting the task again/);
      assert.deepEqual(run.records, []);
      assert.deepEqual(run.leftovers, []);
    });

    test('never retries a task that failed, even with retries: 2', async () => {
      const run = await runTarget('retry-failing');
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /- failing:build \(failed: the executor reported failure\)/);
      assert.deepEqual(taskIds(run.records), ['failing:build']);
      assert.deepEqual(run.leftovers, []);
    });

    test('bail starts no task after the first failure and reports the tasks not started', async () => {
      const run = await runTarget('bail');
      assert.notEqual(run.code, 0, run.output);
      assert.deepEqual(taskIds(run.records), ['bad:build']);
      assert.match(run.output, /\b0 succeeded, 1 failed, 4 skipped\b/);
      for (const task of ['x:build', 'y:build']) {
        assert.match(run.output, new RegExp(`- ${task} \\(not started\\b`));
      }
      assert.deepEqual(run.leftovers, []);
    });

    test('maxFailures: 1 lets a running task finish and starts nothing new', async () => {
      const run = await runTarget('max-failures');
      assert.notEqual(run.code, 0, run.output);
      assert.deepEqual(taskIds(run.records), ['fast:build', 'long:build']);
      assert.ok(recordOf(run.records, 'long:build').end >= recordOf(run.records, 'fast:build').end);
      assert.match(run.output, /\b1 succeeded, 1 failed, 3 skipped\b/);
      assert.doesNotMatch(run.output, /- long:build \(/);
      assert.deepEqual(run.leftovers, []);
    });

    test('maxTasksPerWorker: 1 runs every task in a fresh worker', async () => {
      const run = await runTarget('fresh');
      assert.equal(run.code, 0, run.output);
      const tasks = ['fresh-a:build', 'fresh-b:build', 'fresh-c:build', 'fresh-d:build'];
      assert.deepEqual(taskIds(run.records), tasks);
      const workers = run.records.map((record) => (backend === 'processes' ? record.pid : record.threadId));
      assert.equal(new Set(workers).size, tasks.length, `workers: ${workers.join(', ')}`);
      for (const task of tasks) startMarkOf(workspace.root, task);
      assert.deepEqual(run.leftovers, []);
    });
  });
}

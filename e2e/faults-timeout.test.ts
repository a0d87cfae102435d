/**
 * `taskTimeout`: a hung task fails with reason `timed-out`, every process it started dies with it,
 * and the tasks after it run on fresh workers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordOf, taskIds } from './support/records';
import { findSleepers } from './support/run-processes';
import { runNx, type NxRun } from './support/run-nx';
import { startMarkOf } from './support/start-marks';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

for (const backend of ['processes', 'threads'] as const) {
  describe(`taskTimeout on ${backend}`, () => {
    let workspace: Workspace;
    let run: NxRun;
    before(async () => {
      workspace = makeWorkspace(await getSandbox(), {
        name: `faults-timeout-${backend}`,
        projects: {
          // The hung tasks have dependents, so they take both workers first; `later` waits for one.
          'sleeps-in-shell': {
            targets: { build: { executor: 'nx:run-commands', options: { command: 'sleep 300' } } },
          },
          'sleeps-in-shell-dependent': { deps: ['sleeps-in-shell'] },
          'spawns-sleep': { targets: { build: { options: { spawnHang: true } } } },
          'spawns-sleep-dependent': { deps: ['spawns-sleep'] },
          later: {},
          runner: {
            targets: {
              parallel: parallelTarget({ projects: ['*'], nWorkers: 2, parallelBackend: backend, taskTimeout: 2 }),
            },
          },
        },
      });
      run = await runNx(workspace, ['run', 'runner:parallel']);
    });
    after(() => removeWorkspace(workspace));

    test('fails the hung tasks with reason timed-out, and the run', () => {
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /- sleeps-in-shell:build \(failed: timed-out\)/);
      assert.match(run.output, /- spawns-sleep:build \(failed: timed-out\)/);
      assert.match(run.output, /\b1 succeeded, 2 failed, 2 skipped\b/);
    });

    test('runs a task after the timeouts on a fresh worker', () => {
      assert.deepEqual(taskIds(run.records), ['later:build']);
      const later = recordOf(run.records, 'later:build');
      const hung = startMarkOf(workspace.root, 'spawns-sleep:build');
      if (backend === 'processes') assert.notEqual(later.pid, hung.pid);
      else assert.notEqual(later.threadId, hung.threadId);
    });

    test('leaves no sleep 300 and no other process behind', () => {
      assert.deepEqual(run.leftovers, []);
      assert.deepEqual(findSleepers(workspace.root), []);
    });
  });
}

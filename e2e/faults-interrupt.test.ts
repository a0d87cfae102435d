/**
 * Interrupting a run whose tasks hang, by a signal: SIGINT, SIGTERM or SIGHUP to nx's whole process
 * group (what a terminal sends on Ctrl-C, `kill` of a job, or a closed terminal) ends nx promptly;
 * the same signal to the executor process alone ends the run with a summary naming the interrupted
 * tasks. Either way no process of the run is left, neither a worker nor a task's `sleep 300`.
 * Ctrl-C typed into a real terminal is in faults-interrupt-terminal.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeHungWorkspace, startHungRun } from './support/hung-run';
import { findExecutorProcess, findSleepers, waitFor } from './support/run-processes';
import { exitsWithin } from './support/run-nx';
import { getSandbox } from './support/sandbox';
import { removeWorkspace, type Workspace } from './support/workspace';

const EXIT_WITHIN_MS = 5000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

for (const backend of ['processes', 'threads'] as const) {
  describe(`an interrupted run on ${backend}`, () => {
    let workspace: Workspace;
    before(async () => {
      workspace = makeHungWorkspace(await getSandbox(), { name: `faults-interrupt-${backend}`, backend });
    });
    after(() => removeWorkspace(workspace));

    for (const signal of SIGNALS) {
      test(`${signal} to nx's process group ends nx within 5 s, with a failure, and leaves nothing behind`, async () => {
        const nx = await startHungRun(workspace);
        process.kill(-nx.pid, signal);
        assert.ok(await exitsWithin(nx, EXIT_WITHIN_MS), `nx did not exit within 5 s of ${signal}`);
        const run = await nx.finished;
        assert.notEqual(run.code, 0, run.output);
        assert.deepEqual(run.leftovers, []);
        assert.deepEqual(findSleepers(workspace.root), []);
      });

      test(`${signal} to the executor process names the interrupted tasks and leaves nothing behind`, async () => {
        const nx = await startHungRun(workspace);
        const executor = await waitFor('the executor process', () => findExecutorProcess(nx.marker));
        process.kill(executor, signal);
        assert.ok(await exitsWithin(nx, EXIT_WITHIN_MS), `nx did not exit within 5 s of ${signal} to the executor`);
        const run = await nx.finished;
        assert.notEqual(run.code, 0, run.output);
        assert.match(run.output, /- hanger:build \(failed: interrupted\)/);
        assert.match(run.output, /- sleeper:build \(failed: interrupted\)/);
        assert.match(run.output, /\b0 succeeded, 2 failed, 0 skipped\b/);
        assert.deepEqual(run.leftovers, []);
        assert.deepEqual(findSleepers(workspace.root), []);
      });
    }
  });
}

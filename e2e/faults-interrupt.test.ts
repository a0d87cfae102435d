/**
 * Interrupting a run whose tasks hang: Ctrl-C (SIGINT to nx's whole process group) ends nx promptly,
 * and SIGTERM to the executor process alone ends the run with a summary naming the interrupted
 * tasks. Either way no process of the run is left, neither a worker nor a task's `sleep 300`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findExecutorProcess, findSleepers, waitFor } from './support/run-processes';
import { exitsWithin, startNx, type StartedNx } from './support/run-nx';
import { getSandbox } from './support/sandbox';
import { findStartMark } from './support/start-marks';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const EXIT_WITHIN_MS = 5000;

for (const backend of ['processes', 'threads'] as const) {
  describe(`an interrupted run on ${backend}`, () => {
    let workspace: Workspace;
    before(async () => {
      workspace = makeWorkspace(await getSandbox(), {
        name: `faults-interrupt-${backend}`,
        projects: {
          sleeper: { targets: { build: { executor: 'nx:run-commands', options: { command: 'sleep 300' } } } },
          hanger: { targets: { build: { options: { hang: true } } } },
          runner: { targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 2, parallelBackend: backend }) } },
        },
      });
    });
    after(() => removeWorkspace(workspace));

    async function startHungRun(): Promise<StartedNx> {
      const nx = startNx(workspace, ['run', 'runner:parallel']);
      try {
        await waitFor(
          'both hung tasks to start',
          () => findStartMark(workspace.root, 'hanger:build') && findSleepers(workspace.root).length > 0,
        );
      } catch (error) {
        process.kill(-nx.pid, 'SIGKILL');
        await nx.finished;
        throw error;
      }
      return nx;
    }

    test('Ctrl-C ends nx within 5 s, with a failure, and leaves nothing behind', async () => {
      const nx = await startHungRun();
      process.kill(-nx.pid, 'SIGINT');
      assert.ok(await exitsWithin(nx, EXIT_WITHIN_MS), 'nx did not exit within 5 s of SIGINT');
      const run = await nx.finished;
      assert.notEqual(run.code, 0, run.output);
      assert.deepEqual(run.leftovers, []);
      assert.deepEqual(findSleepers(workspace.root), []);
    });

    test('SIGTERM to the executor process names the interrupted tasks and leaves nothing behind', async () => {
      const nx = await startHungRun();
      const executor = await waitFor('the executor process', () => findExecutorProcess(nx.marker));
      process.kill(executor, 'SIGTERM');
      const run = await nx.finished;
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /- hanger:build \(failed: interrupted\)/);
      assert.match(run.output, /- sleeper:build \(failed: interrupted\)/);
      assert.match(run.output, /\b0 succeeded, 2 failed, 0 skipped\b/);
      assert.deepEqual(run.leftovers, []);
      assert.deepEqual(findSleepers(workspace.root), []);
    });
  });
}

/**
 * The main process vanishing: `kill -9` of the executor while one task is busy in synchronous code
 * (a worker that cannot notice its parent is gone) and another has a `sleep 300` in a session of
 * its own. The run's reaper kills every worker and everything it started within 5 s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeHungWorkspace, startHungRun } from './support/hung-run';
import { findLeftoverProcesses } from './support/leftover-processes';
import { findExecutorProcess, findSleepers, waitFor } from './support/run-processes';
import { getSandbox } from './support/sandbox';
import { removeWorkspace, type Workspace } from './support/workspace';

const GONE_WITHIN_MS = 5000;

for (const backend of ['processes', 'threads'] as const) {
  describe(`a run whose main process vanished on ${backend}`, () => {
    let workspace: Workspace;
    before(async () => {
      workspace = makeHungWorkspace(await getSandbox(), {
        name: `faults-vanished-${backend}`,
        backend,
        hanger: 'busy',
      });
    });
    after(() => removeWorkspace(workspace));

    test('kill -9 of the executor leaves no worker and nothing a task started, also with a busy task', async () => {
      const nx = await startHungRun(workspace);
      const executor = await waitFor('the executor process', () => findExecutorProcess(nx.marker));
      process.kill(executor, 'SIGKILL');
      const killedAt = Date.now();
      await nx.exited;
      await waitFor(
        'every process of the run to be gone',
        () =>
          findLeftoverProcesses(nx.marker, workspace.root).length === 0 && findSleepers(workspace.root).length === 0,
        Math.max(0, killedAt + GONE_WITHIN_MS - Date.now()),
      );
      const run = await nx.finished;
      assert.notEqual(run.code, 0, run.output);
      assert.deepEqual(run.leftovers, []);
    });
  });
}

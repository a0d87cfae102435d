/**
 * Ctrl-C typed into a real terminal (a pseudo-terminal made by `script`), with Nx's terminal UI and
 * without. Nx then runs the executor in a pseudo-terminal of its own: the Ctrl-C reaches the
 * executor as SIGINT, followed within milliseconds by a SIGTERM and the SIGHUP of the closed
 * terminal (without the UI), or Nx ends the run's whole process tree itself (with the UI). Either
 * way nx ends within 5 s, with a failure, and no process of the run is left.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeHungWorkspace, startHungRun } from './support/hung-run';
import { findSleepers } from './support/run-processes';
import { exitsWithin } from './support/run-nx';
import { getSandbox } from './support/sandbox';
import { removeWorkspace, type Workspace } from './support/workspace';

const EXIT_WITHIN_MS = 5000;
const CTRL_C = '\x03';

for (const backend of ['processes', 'threads'] as const) {
  describe(`Ctrl-C in a terminal on ${backend}`, () => {
    let workspace: Workspace;
    before(async () => {
      workspace = makeHungWorkspace(await getSandbox(), { name: `faults-terminal-${backend}`, backend });
    });
    after(() => removeWorkspace(workspace));

    for (const tui of [true, false]) {
      test(`with NX_TUI=${tui}: nx ends within 5 s, with a failure, and leaves nothing behind`, async () => {
        const nx = await startHungRun(workspace, { NX_TUI: String(tui) }, { terminal: true });
        nx.type(CTRL_C);
        assert.ok(await exitsWithin(nx, EXIT_WITHIN_MS), 'nx did not exit within 5 s of Ctrl-C');
        const run = await nx.finished;
        assert.notEqual(run.code, 0, run.output);
        if (tui) assert.match(run.output, /Cancelled running target parallel for project runner/);
        assert.deepEqual(run.leftovers, []);
        assert.deepEqual(findSleepers(workspace.root), []);
      });
    }
  });
}

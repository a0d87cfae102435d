/**
 * Workers that are slow to start or cannot start at all, on the built `processes` pool (a thread
 * starts without NODE_OPTIONS, so only child processes can be made to fail that way): taskTimeout
 * counts from the moment a worker began the task, and workers that keep dying at start-up stop
 * being replaced, the pool saying why with their output.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeWorkspace, PoolHarness, type TaskSpec, within } from './support/pool-fixture';

const RESULT_BOUND_MS = 20_000;

void describe('processes backend: start-up', () => {
  const harness = new PoolHarness('processes');
  let workspace: FakeWorkspace;
  before(() => {
    workspace = new FakeWorkspace();
  });
  afterEach(() => harness.closeAll());
  after(async () => {
    await harness.closeAll();
    workspace.remove();
  });

  const specs = (names: string[], options: TaskSpec['options'] = {}): Record<string, TaskSpec> =>
    Object.fromEntries(names.map((name) => [`app:${name}`, { project: 'app', target: name, options }]));

  void it('taskTimeout counts from the start of the task, not of a worker that starts slower than the timeout', async () => {
    const slowStart = workspace.file('slow-start.js');
    // Blocks the child's start-up for 1.5 s, three times the timeout.
    writeFileSync(slowStart, 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\n');
    const quick = specs(['quick']);
    const hangs = specs(['hangs'], { end: 'hang' });
    const pool = harness.create(
      workspace,
      1,
      { ...quick, ...hangs },
      {
        taskTimeoutMs: 500,
        env: { NODE_OPTIONS: `--require ${slowStart}` },
      },
    );
    const quickRun = await within(harness.run(pool, 'app:quick'), RESULT_BOUND_MS, 'no result' as const);
    assert.ok(quickRun !== 'no result', 'the quick task got a result');
    assert.deepEqual(quickRun.result.outcome, { status: 'succeeded' });
    const hangRun = await within(harness.run(pool, 'app:hangs'), RESULT_BOUND_MS, 'no result' as const);
    assert.ok(hangRun !== 'no result', 'the hanging task got a result');
    assert.equal(hangRun.result.outcome.status === 'failed' && hangRun.result.outcome.reason, 'timed-out');
  });

  void it('gives up on workers that keep dying at start-up, with their output, and answers every call', async () => {
    const tasks = specs(['first', 'second', 'third']);
    const pool = harness.create(workspace, 1, tasks, {
      env: { NODE_OPTIONS: `--require ${workspace.file('no-such-module.js')}` },
    });
    const lost = new Promise<string>((resolve) => pool.onLost?.(resolve));
    const runs = await within(harness.runAll(pool, Object.keys(tasks)), RESULT_BOUND_MS, 'no result' as const);
    assert.ok(runs !== 'no result', 'every call got a result');
    for (const run of runs) {
      assert.equal(run.result.outcome.status === 'failed' && run.result.outcome.reason, 'worker-crashed', run.taskId);
    }
    const cause = await within(lost, RESULT_BOUND_MS, 'not lost' as const);
    assert.match(cause, /3 worker processes in a row died before they could run a task/);
    assert.match(cause, /no-such-module\.js/);
  });
});

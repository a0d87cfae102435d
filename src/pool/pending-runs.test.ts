import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskOutcome } from '../worker/protocol';
import { PendingRuns } from './pending-runs';
import type { PoolRunResult } from './worker-pool';

const succeeded: TaskOutcome = { status: 'succeeded' };
const crashed: TaskOutcome = { status: 'failed', reason: 'worker-crashed', message: 'exit code 1' };

/** Drains the microtask queue, so a promise that could settle has settled. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const stray: string[] = [];
  const runs = new PendingRuns((text) => stray.push(text));
  const output = new Map<number, string[]>();
  const results = new Map<number, PoolRunResult>();
  const start = (seq: number, workerId?: string): void => {
    output.set(seq, []);
    void runs
      .start(seq, (text) => output.get(seq)?.push(text), workerId)
      .then((result) => {
        assert.ok(!results.has(seq), `seq ${seq} settled twice`);
        results.set(seq, result);
      });
  };
  return { runs, stray, output, results, start };
}

describe('PendingRuns', () => {
  it('settles only once the reply and both end markers are in', async () => {
    const { runs, results, start } = setup();
    start(1, 'process-7');
    runs.replied(1, succeeded);
    await flush();
    assert.ok(!results.has(1), 'settled on the reply alone');
    runs.ended(1);
    await flush();
    assert.ok(!results.has(1), 'settled with one end marker missing');
    runs.ended(1);
    await flush();
    assert.deepEqual(results.get(1), { outcome: succeeded, workerId: 'process-7' });
    assert.equal(runs.size, 0);
  });

  it('settles when the reply comes after both end markers', async () => {
    const { runs, results, start } = setup();
    start(1);
    runs.ended(1);
    runs.ended(1);
    await flush();
    assert.ok(!results.has(1), 'settled without a reply');
    runs.replied(1, succeeded);
    await flush();
    assert.equal(results.get(1)?.outcome, succeeded);
  });

  it('keeps the first reply', async () => {
    const { runs, results, start } = setup();
    start(1);
    runs.replied(1, crashed);
    runs.replied(1, succeeded);
    runs.ended(1);
    runs.ended(1);
    await flush();
    assert.deepEqual(results.get(1)?.outcome, crashed);
  });

  it('abandon settles at once with the given outcome, whatever is missing', async () => {
    const { runs, results, start } = setup();
    start(1, 'thread-2');
    runs.ended(1);
    runs.abandon(1, crashed);
    await flush();
    assert.deepEqual(results.get(1), { outcome: crashed, workerId: 'thread-2' });
    assert.equal(runs.size, 0);
    // Late messages of an abandoned task change nothing.
    runs.replied(1, succeeded);
    runs.ended(1);
    await flush();
    assert.deepEqual(results.get(1)?.outcome, crashed);
  });

  it('passes output to the task of its seq, and the rest to the stray sink', async () => {
    const { runs, stray, output, start } = setup();
    start(1);
    start(2);
    runs.output(1, 'one ');
    runs.output(2, 'two');
    runs.output(undefined, 'boot warning\n');
    runs.output(1, 'more');
    runs.output(99, 'unknown seq\n');
    assert.deepEqual(output.get(1), ['one ', 'more']);
    assert.deepEqual(output.get(2), ['two']);
    assert.deepEqual(stray, ['boot warning\n', 'unknown seq\n']);
    runs.abandon(1, crashed);
    runs.abandon(2, crashed);
    await flush();
  });

  it('sends output of a settled task to the stray sink', async () => {
    const { runs, stray, output, start } = setup();
    start(1);
    runs.replied(1, succeeded);
    runs.ended(1);
    runs.ended(1);
    runs.output(1, 'late');
    await flush();
    assert.deepEqual(output.get(1), []);
    assert.deepEqual(stray, ['late']);
  });

  it('records which worker started the task', async () => {
    const { runs, results, start } = setup();
    start(3);
    runs.started(3, 'process-42');
    runs.abandon(3, crashed);
    await flush();
    assert.equal(results.get(3)?.workerId, 'process-42');
  });

  it('tracks the seqs in flight and refuses a seq that is already running', async () => {
    const { runs, start } = setup();
    start(1);
    start(2);
    assert.deepEqual(runs.seqs().sort(), [1, 2]);
    assert.equal(runs.size, 2);
    assert.throws(() => start(1), /already running/);
    runs.abandon(1, crashed);
    runs.abandon(2, crashed);
    await flush();
    assert.deepEqual(runs.seqs(), []);
  });

  it('ignores end markers and replies for seqs it does not know', () => {
    const { runs } = setup();
    runs.ended(5);
    runs.replied(5, succeeded);
    runs.abandon(5, crashed);
    assert.equal(runs.size, 0);
  });
});

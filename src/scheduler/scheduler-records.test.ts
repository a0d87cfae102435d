/** The scheduler's records and events: output, seq and worker, event order, and withdrawn tasks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../report/events';
import { FakePool } from '../test-support/fake-pool';
import { graph, settle, start, succeedAll } from '../test-support/scheduler-harness';
import { runScheduler } from './scheduler';

describe('runScheduler records', () => {
  it("puts a task's output in its record and in task-output events", async () => {
    const h = start({ a: [], b: [] }, 2);
    await settle();
    h.pool.call('a').output('hello ');
    h.pool.call('b').output('other\n');
    h.pool.call('a').output('world\n');
    h.pool.call('a').fail();
    h.pool.call('b').succeed();
    const records = await h.done;
    assert.equal(records.get('a')?.output.text(), 'hello world\n');
    assert.equal(records.get('b')?.output.text(), 'other\n');
    const outputEvents = h.events.filter((e) => e.type === 'task-output');
    assert.deepEqual(outputEvents, [
      { type: 'task-output', taskId: 'a', text: 'hello ' },
      { type: 'task-output', taskId: 'b', text: 'other\n' },
      { type: 'task-output', taskId: 'a', text: 'world\n' },
    ]);
  });

  it('sends each task with its own seq and records the worker that ran it', async () => {
    const h = start({ a: [], b: [], c: ['a'] }, 2);
    const records = await succeedAll(h);
    const seqs = h.pool.calls.map((call) => call.request.seq);
    assert.equal(new Set(seqs).size, seqs.length);
    assert.equal(records.get('c')?.workerId, 'fake-1');
  });

  it('emits task-started before any output and task-finished last for each task', async () => {
    const h = start({ a: [] }, 1);
    await settle();
    h.pool.call('a').output('x');
    h.pool.call('a').succeed();
    await h.done;
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['task-started', 'task-output', 'task-finished'],
    );
  });

  it('after maxFailures, asks the pool to withdraw what it holds unstarted, and records those tasks as not started', async () => {
    const pool = new (class extends FakePool {
      withdrawals = 0;
      withdrawQueued(): void {
        this.withdrawals++;
        this.call('queued').withdraw();
      }
    })(3);
    const events: RunEvent[] = [];
    const done = runScheduler({
      graph: graph({ bad: [], running: [], queued: [], after: ['queued'] }),
      pool,
      priority: () => 0,
      emit: (event) => void events.push(event),
      maxFailures: 1,
    });
    await settle();
    assert.deepEqual(pool.started(), ['bad', 'running', 'queued']);
    pool.call('bad').fail();
    await settle();
    assert.equal(pool.withdrawals, 1);
    pool.call('running').succeed();
    const records = await done;
    assert.deepEqual(records.get('running')?.result, { status: 'succeeded' });
    assert.deepEqual(records.get('queued')?.result, {
      status: 'skipped',
      reason: 'run-stopped',
      cause: '1 task failed (maxFailures: 1)',
    });
    assert.equal(records.get('after')?.result.status, 'skipped');
  });
});

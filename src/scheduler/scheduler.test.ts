import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DependencyGraph } from '../graph/task-graph';
import type { RunEvent, TaskRecord } from '../report/events';
import { FakePool } from '../test-support/fake-pool';
import { runScheduler } from './scheduler';

/**
 * Lets every queued promise reaction run: the scheduler reacts to a settled task through promise
 * callbacks only, so once the microtask queue is drained it has done all it will do.
 */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function graph(table: Record<string, string[]>): DependencyGraph {
  return { ids: Object.keys(table), dependencies: table };
}

interface Harness {
  pool: FakePool;
  events: RunEvent[];
  done: Promise<Map<string, TaskRecord>>;
  finished(): string[];
}

function start(table: Record<string, string[]>, size: number, priority: (id: string) => number = () => 0): Harness {
  const pool = new FakePool(size);
  const events: RunEvent[] = [];
  const dependencies = graph(table);
  const results = new Map<string, TaskRecord>();
  let emitting = false;
  const emit = (event: RunEvent): void => {
    assert.ok(!emitting, `event ${event.type} emitted while another event was being handled`);
    emitting = true;
    try {
      events.push(event);
      if (event.type === 'task-started') {
        for (const dep of dependencies.dependencies[event.taskId] ?? []) {
          assert.equal(
            results.get(dep)?.result.status,
            'succeeded',
            `${event.taskId} started before its dependency ${dep} succeeded`,
          );
        }
      }
      if (event.type === 'task-finished') results.set(event.record.taskId, event.record);
    } finally {
      emitting = false;
    }
  };
  const done = runScheduler({ graph: dependencies, pool, priority, emit });
  const finished = (): string[] =>
    events.flatMap((event) => (event.type === 'task-finished' ? [event.record.taskId] : []));
  return { pool, events, done, finished };
}

/** Succeeds every task sent to the pool, in the order sent, until the run ends. */
async function succeedAll(harness: Harness): Promise<Map<string, TaskRecord>> {
  let finished = false;
  void harness.done.then(() => (finished = true));
  for (;;) {
    await settle();
    if (finished) return harness.done;
    const call = harness.pool.calls.find((c) => !c.settled);
    assert.ok(call, 'the run is stuck: nothing in flight and not finished');
    call.succeed();
  }
}

describe('runScheduler', () => {
  it('resolves at once for an empty graph and sends nothing to the pool', async () => {
    const { pool, done, events } = start({}, 2);
    const records = await done;
    assert.equal(records.size, 0);
    assert.deepEqual(pool.calls, []);
    assert.deepEqual(events, []);
  });

  it('runs a task only after all of its dependencies succeeded', async () => {
    const h = start({ app: ['ui', 'utils'], ui: ['utils'], utils: [], docs: [] }, 4);
    await settle();
    assert.deepEqual(h.pool.started().sort(), ['docs', 'utils']);
    h.pool.call('utils').succeed();
    await settle();
    assert.deepEqual(h.pool.started().sort(), ['docs', 'ui', 'utils']);
    h.pool.call('ui').succeed();
    await settle();
    assert.ok(h.pool.started().includes('app'));
    h.pool.call('app').succeed();
    h.pool.call('docs').succeed();
    const records = await h.done;
    assert.equal(records.size, 4);
    for (const record of records.values()) assert.equal(record.result.status, 'succeeded');
  });

  it('waits for the last of several dependencies', async () => {
    const h = start({ top: ['a', 'b', 'c'], a: [], b: [], c: [] }, 4);
    await settle();
    h.pool.call('a').succeed();
    h.pool.call('c').succeed();
    await settle();
    assert.ok(!h.pool.started().includes('top'), 'top started with b still running');
    h.pool.call('b').succeed();
    await settle();
    assert.ok(h.pool.started().includes('top'));
    h.pool.call('top').succeed();
    await h.done;
  });

  it('never has more than pool.size tasks in flight, and fills free workers', async () => {
    const table: Record<string, string[]> = {};
    for (let i = 0; i < 7; i++) table[`t${i}`] = [];
    const h = start(table, 3);
    await settle();
    assert.equal(h.pool.inFlight, 3);
    h.pool.call('t0').succeed();
    await settle();
    assert.equal(h.pool.inFlight, 3, 'a freed worker gets the next ready task');
    await succeedAll(h);
    assert.equal(h.pool.maxInFlight, 3);
    assert.equal(h.pool.calls.length, 7);
  });

  it('stays within pool.size on a wide graph with dependencies', async () => {
    const table: Record<string, string[]> = { root: [] };
    for (let i = 0; i < 10; i++) table[`mid${i}`] = ['root'];
    table.sink = Object.keys(table).filter((id) => id.startsWith('mid'));
    const h = start(table, 2);
    const records = await succeedAll(h);
    assert.equal(records.size, 12);
    assert.equal(h.pool.maxInFlight, 2);
    assert.equal(h.pool.started()[0], 'root');
    assert.equal(h.pool.started().at(-1), 'sink');
  });

  it('skips the dependents of a failed task, and theirs, without sending them to the pool', async () => {
    const h = start({ lib: [], app: ['lib'], e2e: ['app'], other: [] }, 1);
    await settle();
    assert.deepEqual(h.pool.started(), ['lib']);
    h.pool.call('lib').fail('compile error');
    await settle();
    h.pool.call('other').succeed();
    const records = await h.done;
    assert.deepEqual(h.pool.started(), ['lib', 'other']);
    assert.deepEqual(records.get('lib')?.result, {
      status: 'failed',
      reason: 'executor-failed',
      message: 'compile error',
    });
    assert.deepEqual(records.get('app')?.result, { status: 'skipped', reason: 'dependency-failed', dependency: 'lib' });
    assert.deepEqual(records.get('e2e')?.result, {
      status: 'skipped',
      reason: 'dependency-skipped',
      dependency: 'app',
    });
    assert.deepEqual(records.get('other')?.result, { status: 'succeeded' });
    const startedEvents = h.events.filter((e) => e.type === 'task-started').map((e) => e.taskId);
    assert.deepEqual(startedEvents, ['lib', 'other'], 'skipped tasks are never announced as started');
  });

  it('skips a task when one of several dependencies failed, even if the others succeed later', async () => {
    const h = start({ a: [], b: [], top: ['a', 'b'] }, 2);
    await settle();
    h.pool.call('a').fail();
    await settle();
    h.pool.call('b').succeed();
    const records = await h.done;
    assert.deepEqual(records.get('top')?.result, { status: 'skipped', reason: 'dependency-failed', dependency: 'a' });
    assert.ok(!h.pool.started().includes('top'));
  });

  it('still runs independent tasks after a failure', async () => {
    const h = start({ bad: [], x: [], y: [], z: ['y'] }, 1);
    await settle();
    h.pool.call('bad').fail();
    await settle();
    h.pool.call('x').succeed();
    await settle();
    h.pool.call('y').succeed();
    await settle();
    h.pool.call('z').succeed();
    const records = await h.done;
    assert.deepEqual(h.pool.started(), ['bad', 'x', 'y', 'z']);
    assert.equal(records.get('z')?.result.status, 'succeeded');
  });

  it('gives every task exactly one record and one task-finished event', async () => {
    const table = { a: [], b: ['a'], c: ['b'], d: [], e: ['d'], f: ['c', 'e'] };
    const h = start(table, 2);
    await settle();
    h.pool.call('a').succeed();
    h.pool.call('d').fail();
    await settle();
    h.pool.call('b').succeed();
    await settle();
    h.pool.call('c').succeed();
    const records = await h.done;
    assert.deepEqual([...records.keys()].sort(), Object.keys(table).sort());
    assert.deepEqual(h.finished().sort(), Object.keys(table).sort());
    for (const [id, record] of records) assert.equal(record.taskId, id);
    assert.equal(records.get('e')?.result.status, 'skipped');
    assert.equal(records.get('f')?.result.status, 'skipped');
  });

  it('tears tasks down one at a time, in the order they completed', async () => {
    const h = start({ a: [], b: [], c: [], d: [] }, 4);
    await settle();
    // Settled in the same tick: teardown must still take them one by one, in this order.
    h.pool.call('c').succeed();
    h.pool.call('a').fail();
    h.pool.call('d').succeed();
    await settle();
    h.pool.call('b').succeed();
    await h.done;
    assert.deepEqual(h.finished(), ['c', 'a', 'd', 'b']);
  });

  it('ranks ready tasks by priority, higher first, ties in graph order', async () => {
    const priority: Record<string, number> = { a: 1, b: 3, c: 3, d: 2, e: 5 };
    const h = start({ a: [], b: [], c: [], d: [], e: ['a'] }, 1, (id) => priority[id] ?? 0);
    await succeedAll(h);
    // e is only ready once a succeeded, which is ranked last of the first four.
    assert.deepEqual(h.pool.started(), ['b', 'c', 'd', 'a', 'e']);
  });

  it('ranks a newly released task against those already waiting', async () => {
    const priority: Record<string, number> = { gate: 10, low: 1, high: 5 };
    const h = start({ gate: [], low: [], high: ['gate'] }, 1, (id) => priority[id] ?? 0);
    await succeedAll(h);
    assert.deepEqual(h.pool.started(), ['gate', 'high', 'low']);
  });

  it('keeps graph order when every priority is equal', async () => {
    const h = start({ d: [], b: [], a: [], c: [] }, 1);
    await succeedAll(h);
    assert.deepEqual(h.pool.started(), ['d', 'b', 'a', 'c']);
  });

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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle, start, succeedAll } from '../test-support/scheduler-harness';

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
});

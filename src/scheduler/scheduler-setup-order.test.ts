/**
 * Setups (hashing, the cache lookup) finish in any order; dispatch must still follow rank. Here
 * every setup is held by the test and let go in reverse rank order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent, TaskRecord } from '../report/events';
import { FakePool } from '../test-support/fake-pool';
import { runScheduler, type SetupResult } from './scheduler';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface HeldSetups {
  setup: (taskId: string) => Promise<SetupResult>;
  /** Ends the setup of a task, with a cache hit or not. */
  finish(taskId: string, result?: SetupResult): void;
  started(): string[];
}

function holdSetups(): HeldSetups {
  const waiting = new Map<string, (result: SetupResult) => void>();
  const started: string[] = [];
  return {
    setup: (taskId) =>
      new Promise((resolve) => {
        started.push(taskId);
        waiting.set(taskId, resolve);
      }),
    finish(taskId, result = { hash: `hash-${taskId}` }) {
      const resolve = waiting.get(taskId);
      assert.ok(resolve, `the setup of ${taskId} was not started`);
      waiting.delete(taskId);
      resolve(result);
    },
    started: () => [...started],
  };
}

function run(options: {
  table: Record<string, string[]>;
  workers: number;
  priority: Record<string, number>;
  setups: HeldSetups;
  maxFailures?: number;
}): { pool: FakePool; done: Promise<Map<string, TaskRecord>>; events: RunEvent[] } {
  const pool = new FakePool(options.workers);
  const events: RunEvent[] = [];
  const done = runScheduler({
    graph: { ids: Object.keys(options.table), dependencies: options.table },
    pool,
    priority: (id) => options.priority[id] ?? 0,
    emit: (event) => void events.push(event),
    setup: options.setups.setup,
    maxFailures: options.maxFailures,
  });
  return { pool, done, events };
}

describe('runScheduler with setups that finish out of rank order', () => {
  it('sets up the roots together and dispatches the top-ranked first', async () => {
    const setups = holdSetups();
    const priority = { low: 1, mid: 2, high: 3, top: 4 };
    const h = run({ table: { low: [], mid: [], high: [], top: [] }, workers: 2, priority, setups });
    await settle();
    assert.deepEqual(setups.started().sort(), ['high', 'low', 'mid', 'top'], 'setups run concurrently');
    for (const id of ['low', 'mid', 'high']) {
      setups.finish(id);
      await settle();
      assert.deepEqual(h.pool.started(), [], `${id} was dispatched while a higher-ranked task was in setup`);
    }
    setups.finish('top');
    await settle();
    assert.deepEqual(h.pool.started(), ['top', 'high']);
    assert.equal(h.pool.call('top').request.hash, 'hash-top');
    h.pool.call('top').succeed();
    h.pool.call('high').succeed();
    await settle();
    assert.deepEqual(h.pool.started(), ['top', 'high', 'mid', 'low']);
    h.pool.call('mid').succeed();
    h.pool.call('low').succeed();
    await h.done;
  });

  it('queues a task as soon as every higher-ranked task of its batch is set up', async () => {
    const setups = holdSetups();
    const priority = { low: 1, mid: 2, top: 3 };
    const h = run({ table: { low: [], mid: [], top: [] }, workers: 3, priority, setups });
    await settle();
    setups.finish('mid');
    setups.finish('top');
    await settle();
    assert.deepEqual(h.pool.started(), ['top', 'mid'], 'low, still in setup, holds back nothing ranked above it');
    setups.finish('low');
    await settle();
    assert.deepEqual(h.pool.started(), ['top', 'mid', 'low']);
    for (const id of ['top', 'mid', 'low']) h.pool.call(id).succeed();
    await h.done;
  });

  it('orders the dependents one teardown releases by rank too', async () => {
    const setups = holdSetups();
    const priority = { root: 10, a: 1, b: 2, c: 3 };
    const h = run({ table: { root: [], a: ['root'], b: ['root'], c: ['root'] }, workers: 1, priority, setups });
    await settle();
    setups.finish('root');
    await settle();
    h.pool.call('root').succeed();
    await settle();
    setups.finish('a');
    setups.finish('b');
    await settle();
    assert.deepEqual(h.pool.started(), ['root']);
    setups.finish('c');
    await settle();
    assert.deepEqual(h.pool.started(), ['root', 'c']);
    h.pool.call('c').succeed();
    await settle();
    h.pool.call('b').succeed();
    await settle();
    h.pool.call('a').succeed();
    await h.done;
    assert.deepEqual(h.pool.started(), ['root', 'c', 'b', 'a']);
  });

  it('does not hold a batch back behind a cache hit, and never dispatches the hit', async () => {
    const setups = holdSetups();
    const priority = { low: 1, top: 2 };
    const h = run({ table: { low: [], top: [] }, workers: 2, priority, setups });
    await settle();
    setups.finish('low');
    setups.finish('top', { hash: 'hash-top', cached: { output: 'from cache\n', remote: false } });
    await settle();
    assert.deepEqual(h.pool.started(), ['low']);
    h.pool.call('low').succeed();
    const records = await h.done;
    assert.deepEqual(records.get('top')?.result, { status: 'succeeded', cached: 'local' });
  });

  it('with maxFailures: 1, runs the top-ranked failing task first and starts no lower-ranked one after it', async () => {
    const setups = holdSetups();
    const priority = { a: 1, b: 2, c: 3, failing: 4 };
    const h = run({ table: { a: [], b: [], c: [], failing: [] }, workers: 2, priority, setups, maxFailures: 1 });
    await settle();
    for (const id of ['a', 'b', 'c', 'failing']) setups.finish(id);
    await settle();
    assert.deepEqual(h.pool.started(), ['failing', 'c']);
    h.pool.call('failing').fail('broken');
    await settle();
    h.pool.call('c').succeed();
    const records = await h.done;
    assert.deepEqual(h.pool.started(), ['failing', 'c'], 'nothing started after the failure');
    assert.equal(records.get('failing')?.result.status, 'failed');
    assert.equal(records.get('c')?.result.status, 'succeeded');
    for (const id of ['a', 'b']) assert.equal(records.get(id)?.result.status, 'skipped');
    assert.deepEqual(
      h.events.filter((event) => event.type === 'task-started').map((event) => event.taskId),
      ['failing', 'c'],
    );
  });
});

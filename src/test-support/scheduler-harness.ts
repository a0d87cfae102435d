/** A scheduler on a fake pool, whose events are checked as they come (see scheduler*.test.ts). */
import assert from 'node:assert/strict';
import type { DependencyGraph } from '../graph/task-graph';
import type { RunEvent, TaskRecord } from '../report/events';
import { runScheduler } from '../scheduler/scheduler';
import { FakePool } from './fake-pool';

/**
 * Lets every queued promise reaction run: the scheduler reacts to a settled task through promise
 * callbacks only, so once the microtask queue is drained it has done all it will do.
 */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function graph(table: Record<string, string[]>): DependencyGraph {
  return { ids: Object.keys(table), dependencies: table };
}

export interface Harness {
  pool: FakePool;
  events: RunEvent[];
  done: Promise<Map<string, TaskRecord>>;
  finished(): string[];
}

export function start(
  table: Record<string, string[]>,
  size: number,
  priority: (id: string) => number = () => 0,
): Harness {
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
export async function succeedAll(harness: Harness): Promise<Map<string, TaskRecord>> {
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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskRecord } from './events';
import { criticalPathOfRun, slowestTasks } from './run-analysis';
import { TaskOutput } from './task-output';

function record(taskId: string, start: number, end: number, attempts = 1): TaskRecord {
  const result: TaskRecord['result'] =
    attempts > 0 ? { status: 'succeeded' } : { status: 'skipped', reason: 'dependency-failed', dependency: 'x' };
  return { taskId, result, start, end, attempts, output: new TaskOutput() };
}

describe('criticalPathOfRun', () => {
  it('follows, from the last task to finish, the dependency that finished last', () => {
    // a (0-10) and b (0-30) feed c (30-40); d (0-5) is independent.
    const records = [record('a', 0, 10), record('b', 0, 30), record('c', 30, 40), record('d', 0, 5)];
    const path = criticalPathOfRun(records, { a: [], b: [], c: ['a', 'b'], d: [] });
    assert.deepEqual(path, { taskIds: ['b', 'c'], ms: 40 });
  });

  it('leaves out tasks that never ran', () => {
    const records = [record('a', 0, 10), record('s', 10, 10, 0)];
    assert.deepEqual(criticalPathOfRun(records, { a: [], s: ['a'] }).taskIds, ['a']);
  });

  it('is empty for a run where nothing ran', () => {
    assert.deepEqual(criticalPathOfRun([], {}), { taskIds: [], ms: 0 });
  });
});

describe('slowestTasks', () => {
  it('lists the longest tasks first', () => {
    const records = [record('a', 0, 10), record('b', 0, 30), record('c', 5, 25)];
    assert.deepEqual(
      slowestTasks(records, 2).map((r) => r.taskId),
      ['b', 'c'],
    );
  });
});

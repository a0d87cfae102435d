import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DependencyGraph } from '../graph/task-graph';
import { levelsOf, planRun } from './plan-run';
import { rankTasks } from './rank-tasks';

/** Six 1-unit tasks listed before a chain of two 3-unit tasks. */
const graph: DependencyGraph = {
  ids: ['s1', 's2', 's3', 's4', 's5', 's6', 'chain-1', 'chain-2'],
  dependencies: { s1: [], s2: [], s3: [], s4: [], s5: [], s6: [], 'chain-1': [], 'chain-2': ['chain-1'] },
};
const durations = (id: string): number => (id.startsWith('chain') ? 3 : 1);

describe('planRun', () => {
  it('on 2 workers, critical-path starts the chain first and ends in 6 units', () => {
    const plan = planRun(graph, rankTasks(graph, 'critical-path', durations), 2);
    assert.equal(plan.tasks[0]?.taskId, 'chain-1');
    assert.equal(plan.estimatedMs, 6);
    assert.deepEqual(plan.tasks.map((task) => task.taskId).sort(), [...graph.ids].sort());
  });

  it('fifo leaves the chain for last and ends in 9 units', () => {
    const plan = planRun(graph, rankTasks(graph, 'fifo', durations), 2);
    assert.deepEqual(
      plan.tasks.map((task) => task.taskId),
      graph.ids,
    );
    assert.equal(plan.estimatedMs, 9);
  });

  it('never starts a task before its dependencies would have ended', () => {
    const plan = planRun(graph, rankTasks(graph, 'critical-path', durations), 8);
    const start = new Map(plan.tasks.map((task) => [task.taskId, task.startMs]));
    assert.equal(start.get('chain-2'), 3);
  });
});

describe('levelsOf', () => {
  it('is the depth of each task in the graph', () => {
    const levels = levelsOf({ ids: ['a', 'b', 'c'], dependencies: { a: [], b: ['a'], c: ['a', 'b'] } });
    assert.deepEqual(
      [...levels.entries()],
      [
        ['a', 0],
        ['b', 1],
        ['c', 2],
      ],
    );
  });
});

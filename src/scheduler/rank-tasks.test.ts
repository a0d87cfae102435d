import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DependencyGraph } from '../graph/task-graph';
import { rankTasks } from './rank-tasks';

/** Six independent 1-unit tasks listed before a chain of two 3-unit tasks (chain-2 needs chain-1). */
const graph: DependencyGraph = {
  ids: ['s1', 's2', 's3', 's4', 's5', 's6', 'chain-1', 'chain-2'],
  dependencies: { s1: [], s2: [], s3: [], s4: [], s5: [], s6: [], 'chain-1': [], 'chain-2': ['chain-1'] },
};
const durations: Record<string, number> = { s1: 1, s2: 1, s3: 1, s4: 1, s5: 1, s6: 1, 'chain-1': 3, 'chain-2': 3 };

function byPriority(ranking: ReturnType<typeof rankTasks>, ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => ranking.priority(b) - ranking.priority(a));
}

describe('rankTasks', () => {
  it('critical-path puts the head of the longest chain first', () => {
    const ranking = rankTasks(graph, 'critical-path', (id) => durations[id]);
    assert.equal(byPriority(ranking, graph.ids)[0], 'chain-1');
    assert.deepEqual(ranking.criticalPath, { taskIds: ['chain-1', 'chain-2'], estimatedMs: 6 });
  });

  it('fifo keeps graph order', () => {
    const ranking = rankTasks(graph, 'fifo', (id) => durations[id]);
    assert.deepEqual(byPriority(ranking, graph.ids), graph.ids);
  });

  it('without history counts tasks, so a chain still goes first', () => {
    const ranking = rankTasks(graph, 'critical-path', () => undefined);
    assert.equal(byPriority(ranking, graph.ids)[0], 'chain-1');
    assert.equal(ranking.estimates.get('s1'), 1);
  });

  it('gives a task without history the median of the known durations', () => {
    const ranking = rankTasks(graph, 'critical-path', (id) => (id === 's1' ? undefined : durations[id]));
    assert.equal(ranking.estimates.get('s1'), 1);
    const slow = rankTasks(graph, 'critical-path', (id) => (id.startsWith('chain') ? 10 : id === 's1' ? 2 : undefined));
    assert.equal(slow.estimates.get('s2'), 10, 'the median of 2, 10 and 10');
  });

  it('breaks ties by transitive dependents, then by graph order', () => {
    // x and y both start a 2-task path, but x has two dependents.
    const tied: DependencyGraph = {
      ids: ['y', 'x', 'y1', 'x1', 'x2'],
      dependencies: { y: [], x: [], y1: ['y'], x1: ['x'], x2: ['x'] },
    };
    const ranking = rankTasks(tied, 'critical-path', () => undefined);
    assert.deepEqual(byPriority(ranking, ['y', 'x']), ['x', 'y']);
    assert.deepEqual(byPriority(ranking, ['x1', 'x2', 'y1']), ['y1', 'x1', 'x2']);
  });

  it('gives every task a priority of its own', () => {
    const ranking = rankTasks(graph, 'critical-path', () => undefined);
    assert.equal(new Set(graph.ids.map(ranking.priority)).size, graph.ids.length);
  });
});

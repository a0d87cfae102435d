import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DependencyGraph } from '../graph/task-graph';
import { countTransitiveDependents, invert, topologicalOrder } from './count-dependents';

function graph(table: Record<string, string[]>): DependencyGraph {
  return { ids: Object.keys(table), dependencies: table };
}

function assertTopological(g: DependencyGraph, order: string[]): void {
  assert.deepEqual([...order].sort(), [...g.ids].sort(), 'every id appears exactly once');
  const position = new Map(order.map((id, i) => [id, i]));
  for (const id of g.ids) {
    for (const dep of g.dependencies[id] ?? []) {
      assert.ok((position.get(dep) as number) < (position.get(id) as number), `${dep} must come before ${id}`);
    }
  }
}

/** Reference count by plain graph search, to check the bitset version against. */
function naiveCounts(g: DependencyGraph): Map<string, number> {
  const dependents = invert(g);
  return new Map(
    g.ids.map((id) => {
      const seen = new Set<string>();
      const stack = [...(dependents.get(id) ?? [])];
      while (stack.length) {
        const next = stack.pop() as string;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(...(dependents.get(next) ?? []));
      }
      return [id, seen.size];
    }),
  );
}

const chain = graph({ a: [], b: ['a'], c: ['b'], d: ['c'] });
const diamond = graph({ top: ['left', 'right'], left: ['bottom'], right: ['bottom'], bottom: [] });

describe('topologicalOrder', () => {
  it('puts every dependency before its dependents', () => {
    assertTopological(chain, topologicalOrder(chain));
    assertTopological(diamond, topologicalOrder(diamond));
  });

  it('keeps graph order among independent tasks', () => {
    assert.deepEqual(topologicalOrder(graph({ z: [], y: [], x: [] })), ['z', 'y', 'x']);
  });

  it('orders a chain listed backwards', () => {
    assert.deepEqual(topologicalOrder(graph({ d: ['c'], c: ['b'], b: ['a'], a: [] })), ['a', 'b', 'c', 'd']);
  });

  it('returns nothing for an empty graph', () => {
    assert.deepEqual(topologicalOrder(graph({})), []);
  });
});

describe('invert', () => {
  it('lists the direct dependents of every task', () => {
    const dependents = invert(diamond);
    assert.deepEqual(dependents.get('bottom'), ['left', 'right']);
    assert.deepEqual(dependents.get('left'), ['top']);
    assert.deepEqual(dependents.get('top'), []);
  });
});

describe('countTransitiveDependents', () => {
  it('counts everything that waits on a task in a chain', () => {
    assert.deepEqual(Object.fromEntries(countTransitiveDependents(chain)), { a: 3, b: 2, c: 1, d: 0 });
  });

  it('counts a dependent reached by two paths once', () => {
    assert.deepEqual(Object.fromEntries(countTransitiveDependents(diamond)), {
      top: 0,
      left: 1,
      right: 1,
      bottom: 3,
    });
  });

  it('counts zero for independent tasks', () => {
    assert.deepEqual(Object.fromEntries(countTransitiveDependents(graph({ a: [], b: [] }))), { a: 0, b: 0 });
  });

  it('agrees with a plain search on a graph wider than one 32-bit word', () => {
    const table: Record<string, string[]> = {};
    // 100 tasks: each depends on a few earlier ones, chosen by a fixed rule so the test is repeatable.
    for (let i = 0; i < 100; i++) {
      table[`t${i}`] = [i - 1, i - 7, Math.floor(i / 3), i - 33].filter((j) => j >= 0 && j < i).map((j) => `t${j}`);
    }
    const g = graph(table);
    assert.deepEqual(countTransitiveDependents(g), naiveCounts(g));
    assert.equal(countTransitiveDependents(g).get('t0'), 99);
    assertTopological(g, topologicalOrder(g));
  });
});

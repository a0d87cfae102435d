import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadyQueue } from './ready-queue';

function queue(priorities: Record<string, number>, ids: string[]): ReadyQueue {
  return new ReadyQueue(
    (id) => priorities[id] ?? 0,
    (id) => ids.indexOf(id),
  );
}

function drain(q: ReadyQueue): string[] {
  const out: string[] = [];
  for (let id = q.pop(); id !== undefined; id = q.pop()) out.push(id);
  return out;
}

describe('ReadyQueue', () => {
  it('is empty at first', () => {
    const q = queue({}, []);
    assert.equal(q.length, 0);
    assert.equal(q.pop(), undefined);
  });

  it('pops the highest priority first', () => {
    const q = queue({ a: 1, b: 5, c: 3 }, ['a', 'b', 'c']);
    for (const id of ['a', 'b', 'c']) q.push(id);
    assert.equal(q.length, 3);
    assert.deepEqual(drain(q), ['b', 'c', 'a']);
    assert.equal(q.length, 0);
  });

  it('keeps the given order among equal priorities, whatever the push order', () => {
    const ids = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
    const q = queue({}, ids);
    for (const id of [...ids].reverse()) q.push(id);
    assert.deepEqual(drain(q), ids);
  });

  it('ranks by priority and then by order on a mixed set', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const priorities = { a: 2, b: 1, c: 2, d: 3, e: 1, f: 3, g: 0, h: 2 };
    const q = queue(priorities, ids);
    for (const id of ['h', 'b', 'g', 'd', 'a', 'f', 'c', 'e']) q.push(id);
    assert.deepEqual(drain(q), ['d', 'f', 'a', 'c', 'h', 'b', 'e', 'g']);
  });

  it('ranks tasks pushed between pops against those still waiting', () => {
    const q = queue({ low: 1, mid: 2, high: 3 }, ['low', 'mid', 'high']);
    q.push('low');
    q.push('mid');
    assert.equal(q.pop(), 'mid');
    q.push('high');
    assert.equal(q.pop(), 'high');
    assert.equal(q.pop(), 'low');
  });
});

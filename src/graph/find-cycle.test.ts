import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCycle } from './find-cycle';

type Table = Record<string, string[]>;

/** A returned cycle must be a real closed walk of the table: first id == last id, every step an edge. */
function assertIsCycleOf(table: Table, cycle: string[] | undefined): void {
  assert.ok(cycle, 'expected a cycle');
  assert.ok(cycle.length >= 2, `a cycle has at least two entries: ${cycle.join(' -> ')}`);
  assert.equal(cycle[0], cycle[cycle.length - 1], 'a cycle starts and ends at the same id');
  for (let i = 0; i + 1 < cycle.length; i++) {
    const from = cycle[i] as string;
    const to = cycle[i + 1] as string;
    assert.ok(table[from]?.includes(to), `${from} -> ${to} is not an edge of the table`);
  }
  const inner = cycle.slice(0, -1);
  assert.equal(new Set(inner).size, inner.length, 'no id repeats inside the cycle');
}

describe('findCycle', () => {
  it('returns undefined for an empty table', () => {
    assert.equal(findCycle({}), undefined);
  });

  it('returns undefined for a chain', () => {
    assert.equal(findCycle({ a: ['b'], b: ['c'], c: [] }), undefined);
  });

  it('returns undefined for a diamond, where one id is reached twice without a cycle', () => {
    assert.equal(findCycle({ top: ['left', 'right'], left: ['bottom'], right: ['bottom'], bottom: [] }), undefined);
  });

  it('returns undefined when dependencies are missing from the keys', () => {
    assert.equal(findCycle({ a: ['b', 'c'] }), undefined);
  });

  it('finds a self-loop', () => {
    const table = { a: ['a'] };
    const cycle = findCycle(table);
    assertIsCycleOf(table, cycle);
    assert.deepEqual(cycle, ['a', 'a']);
  });

  it('finds a 2-cycle', () => {
    const table = { a: ['b'], b: ['a'] };
    const cycle = findCycle(table);
    assertIsCycleOf(table, cycle);
    assert.equal(cycle?.length, 3);
  });

  it('finds a cycle deep in a chain and leaves the chain out of it', () => {
    const table = { a: ['b'], b: ['c'], c: ['d'], d: ['e'], e: ['f'], f: ['d'] };
    const cycle = findCycle(table);
    assertIsCycleOf(table, cycle);
    assert.deepEqual(new Set(cycle), new Set(['d', 'e', 'f']));
  });

  it('finds a cycle reached only after a finished diamond', () => {
    const table = { top: ['left', 'right'], left: ['bottom'], right: ['bottom'], bottom: ['x'], x: ['y'], y: ['x'] };
    const cycle = findCycle(table);
    assertIsCycleOf(table, cycle);
    assert.deepEqual(new Set(cycle), new Set(['x', 'y']));
  });

  it('finds a cycle whose entry is not the first key', () => {
    const table = { ok: [], z: ['y'], y: ['x'], x: ['z'] };
    assertIsCycleOf(table, findCycle(table));
  });

  it('handles a chain of 100000 ids without overflowing the stack', () => {
    const table: Table = {};
    const n = 100_000;
    for (let i = 0; i < n; i++) table[`t${i}`] = i + 1 < n ? [`t${i + 1}`] : [];
    assert.equal(findCycle(table), undefined);
    (table[`t${n - 1}`] as string[]).push('t0');
    const cycle = findCycle(table);
    assertIsCycleOf(table, cycle);
    assert.equal(cycle?.length, n + 1);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findTree } from './kill-tree';
import type { ProcessEntry } from './process-table';

// pid, ppid, pgid, sid: nx (10) runs the executor (20, this process); the executor runs a worker
// (30, leading its own group and session) and a thread's plain child (40, in the executor's group).
const TABLE: ProcessEntry[] = [
  [1, 0, 1, 1],
  [10, 1, 10, 10],
  [20, 10, 10, 10],
  [30, 20, 30, 30],
  [31, 30, 30, 30], // a task's child, in the worker's group
  [32, 30, 32, 32], // nx:run-commands, in a session of its own
  [33, 32, 32, 32],
  [34, 1, 30, 30], // orphaned, but still in the worker's group
  [35, 1, 99, 32], // orphaned in a group of its own, but in the session 32 leads
  [40, 20, 10, 10],
  [41, 40, 10, 10],
  [50, 1, 50, 50], // unrelated
].map(([pid, ppid, pgid, sid]) => ({ pid, ppid, pgid, sid }) as ProcessEntry);

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

test('a worker tree: descendants, and members of the groups and sessions they lead', () => {
  const tree = findTree(TABLE, [{ pid: 30 }], 20);
  assert.deepEqual(sorted(tree.pids), [30, 31, 32, 33, 34, 35]);
  assert.deepEqual(sorted(tree.groups), [30, 32]);
});

test("a thread's child: its descendants, never the group or session of the process it shares them with", () => {
  const tree = findTree(TABLE, [{ pid: 40 }], 20);
  assert.deepEqual(sorted(tree.pids), [40, 41]);
  assert.deepEqual(tree.groups, []);
});

test('a root whose pid now belongs to another process (its start time differs) is left alone', () => {
  const table = TABLE.map((entry) => (entry.pid === 30 ? { ...entry, start: '200' } : entry));
  assert.deepEqual(findTree(table, [{ pid: 30, start: '100' }], 20).pids, []);
  assert.equal(findTree(table, [{ pid: 30, start: '200' }], 20).pids.length, 6);
});

test('never the calling process, nor a root that is gone', () => {
  assert.deepEqual(findTree(TABLE, [{ pid: 20 }, { pid: 77 }], 20).pids.includes(20), false);
  assert.deepEqual(findTree(TABLE, [{ pid: 77 }], 20), { pids: [], groups: [] });
});

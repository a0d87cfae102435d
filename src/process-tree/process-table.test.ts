import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcStat, readProcessTable } from './process-table';

test('parses /proc/<pid>/stat, also with spaces and parentheses in the command name', () => {
  const stat = '4242 (my (odd) name) S 17 4242 4240 0 -1 4194560 1 0 0 0 2 1 0 0 20 0 1 0 987654 1000 200';
  assert.deepEqual(parseProcStat(stat), { pid: 4242, ppid: 17, pgid: 4242, sid: 4240, start: '987654' });
});

test('leaves zombies out', () => {
  assert.equal(parseProcStat('4243 (sh) Z 17 4242 4240 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 987655 0 0'), undefined);
});

test('the table holds this process and its parent', () => {
  const self = readProcessTable().find((entry) => entry.pid === process.pid);
  assert.equal(self?.ppid, process.ppid);
});

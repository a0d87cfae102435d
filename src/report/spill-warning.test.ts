import assert from 'node:assert/strict';
import { openSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { TaskRecord } from './events';
import { formatNotice } from './format-notice';
import { findSpillFailures } from './spill-warning';
import { TaskOutput } from './task-output';

function record(taskId: string, output: TaskOutput): TaskRecord {
  return { taskId, result: { status: 'succeeded' }, start: 0, end: 0, attempts: 1, output };
}

const onFullDisk = (fallbackLimit?: number): TaskOutput =>
  new TaskOutput({
    memoryLimit: 4,
    fallbackLimit,
    openSpillFile: () => ({ fd: openSync('/dev/full', 'w'), path: '/dev/full' }),
  });

describe('findSpillFailures', () => {
  it('says nothing when every output found its file or stayed small', () => {
    const small = new TaskOutput();
    small.append('hi');
    assert.equal(findSpillFailures([record('a:build', small)]), undefined);
  });

  it('names every task whose output could not be spilled, once, with what was dropped and what to do', () => {
    const whole = onFullDisk();
    whole.append('0123456789');
    const cut = onFullDisk(10);
    cut.append('x'.repeat(30));
    const notice = findSpillFailures([
      record('a:build', whole),
      record('b:build', new TaskOutput()),
      record('c:build', cut),
    ]);
    assert.ok(notice);
    const message = formatNotice(notice).replace(/\x1b\[[0-9;]*m/g, '');
    assert.match(message, /^\[nx-parallel\] The output of 2 tasks \(a:build, c:build\) could not be written/);
    assert.match(message, /ENOSPC/);
    assert.match(message, /20 characters past the limit were dropped\. Free space there or set TMPDIR/);
    whole.dispose();
    cut.dispose();
  });
});

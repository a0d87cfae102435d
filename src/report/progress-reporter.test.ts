import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent, TaskRecord } from './events';
import { describeOutcome, ProgressReporter } from './progress-reporter';
import { TaskOutput } from './task-output';
import { FakeStream } from '../test-support/fake-stream';
import { Terminal } from './terminal';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A terminal whose output is kept, with the cursor movements of the live area as written. */
function captured(isTTY: boolean): { terminal: Terminal; written: () => string } {
  const stream = new FakeStream({ isTTY, columns: 60 });
  return { terminal: new Terminal(stream), written: () => stream.written };
}

const started = (recordedMs: Map<string, number>): RunEvent => ({
  type: 'run-started',
  taskIds: ['a:build', 'b:build', 'c:build'],
  tasks: [],
  options: {},
  dependencies: {},
  recordedMs,
  workers: 2,
  backend: 'processes',
  start: 0,
});

const finished = (taskId: string, end: number, workerId = 'process-7'): RunEvent => {
  const record: TaskRecord = {
    taskId,
    result: { status: 'succeeded' },
    start: 0,
    end,
    workerId,
    attempts: 1,
    output: new TaskOutput(),
  };
  return { type: 'task-finished', record };
};

describe('ProgressReporter without a TTY', () => {
  it('prints one line per finished task with its status, duration and worker', () => {
    const { terminal, written } = captured(false);
    const progress = new ProgressReporter(terminal, () => 0);
    progress.onEvent(started(new Map()));
    progress.onEvent({ type: 'task-started', taskId: 'a:build' });
    progress.onEvent(finished('a:build', 1500));
    assert.equal(written().replace(ANSI, ''), '[1/3] ✔ a:build succeeded in 1.5s on process-7\n');
  });
});

describe('ProgressReporter on a TTY', () => {
  it('shows done/total, the running tasks with their elapsed time, and the time left', () => {
    let now = 0;
    const { terminal } = captured(true);
    const progress = new ProgressReporter(terminal, () => now);
    progress.onEvent(
      started(
        new Map([
          ['a:build', 2000],
          ['b:build', 4000],
        ]),
      ),
    );
    progress.onEvent({ type: 'task-started', taskId: 'a:build' });
    progress.onEvent({ type: 'task-started', taskId: 'b:build' });
    now = 1000;
    const lines = progress.liveArea().map((line) => line.replace(ANSI, ''));
    // Left: a 1s + b 3s + c (median of 2s and 4s, taken as 4s) = 8s over 2 workers.
    assert.deepEqual(lines, [
      'nx-parallel 0/3 done · 2 running · about 4.0s left',
      '  › a:build 1.0s',
      '  › b:build 1.0s',
    ]);
    progress.onEvent({ type: 'run-finished', records: [], start: 0, end: now });
  });

  it('gives no estimate without recorded durations', () => {
    const { terminal } = captured(true);
    const progress = new ProgressReporter(terminal, () => 0);
    progress.onEvent(started(new Map()));
    assert.equal(progress.liveArea()[0]?.replace(ANSI, ''), 'nx-parallel 0/3 done · 0 running');
    progress.onEvent({ type: 'run-finished', records: [], start: 0, end: 0 });
  });
});

describe('Terminal', () => {
  it('erases the live area before output and draws it again below, so output never mixes with it', async () => {
    const { terminal, written } = captured(true);
    terminal.setLiveArea(['one', 'two']);
    await terminal.out('task output\n');
    terminal.setLiveArea([]);
    assert.equal(written(), 'one\ntwo\n' + '\x1b[2A\x1b[0J' + 'task output\n' + 'one\ntwo\n' + '\x1b[2A\x1b[0J');
  });

  it('cuts live lines to the width, so none wraps', () => {
    const { terminal, written } = captured(true);
    terminal.setLiveArea(['x'.repeat(100)]);
    assert.equal(written(), `${'x'.repeat(58)}…\n`);
  });

  it('draws nothing without a TTY', async () => {
    const { terminal, written } = captured(false);
    terminal.setLiveArea(['one']);
    await terminal.out('text\n');
    assert.equal(written(), 'text\n');
  });
});

describe('task outcomes', () => {
  const record = (result: TaskRecord['result'], workerId?: string): TaskRecord => ({
    taskId: 'lib:build',
    result,
    start: 0,
    end: 1100,
    workerId,
    attempts: 1,
    output: new TaskOutput(),
  });

  it('gives the reason of a failure, a skip and a task not started', () => {
    assert.equal(
      describeOutcome(record({ status: 'failed', reason: 'worker-crashed' }, 'process-1')),
      'failed in 1.1s on process-1 (worker-crashed)',
    );
    assert.equal(
      describeOutcome(record({ status: 'skipped', reason: 'dependency-failed', dependency: 'util:build' })),
      'skipped: dependency util:build failed',
    );
    assert.equal(
      describeOutcome(record({ status: 'skipped', reason: 'run-stopped', cause: 'bail after 1 failure' })),
      'not started: bail after 1 failure',
    );
    assert.equal(describeOutcome(record({ status: 'succeeded', cached: 'remote' })), 'from the remote cache');
  });
});

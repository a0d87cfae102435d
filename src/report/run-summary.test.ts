import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import type { RunEvent, TaskRecord } from './events';
import { buildRunSummary } from './run-summary';
import { TaskOutput } from './task-output';
import { buildTrace } from './trace';

const schema = JSON.parse(readFileSync(join(__dirname, '../../summary.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(schema);

const records: TaskRecord[] = [
  {
    taskId: 'a:build',
    result: { status: 'succeeded' },
    start: 1000,
    end: 1400,
    workerId: 'process-1',
    attempts: 1,
    output: new TaskOutput(),
  },
  {
    taskId: 'b:build:prod',
    result: { status: 'failed', reason: 'worker-crashed', message: 'The worker process exited with code 3.' },
    start: 1400,
    end: 1500,
    workerId: 'process-2',
    attempts: 2,
    output: new TaskOutput(),
  },
  {
    taskId: 'c:build',
    result: { status: 'skipped', reason: 'dependency-failed', dependency: 'b:build:prod' },
    start: 1500,
    end: 1500,
    attempts: 0,
    output: new TaskOutput(),
  },
];

const started: Extract<RunEvent, { type: 'run-started' }> = {
  type: 'run-started',
  taskIds: ['a:build', 'b:build:prod', 'c:build'],
  tasks: [
    { taskId: 'a:build', project: 'a', target: 'build' },
    { taskId: 'b:build:prod', project: 'b', target: 'build', configuration: 'prod' },
    { taskId: 'c:build', project: 'c', target: 'build' },
  ],
  options: { nWorkers: 2 },
  dependencies: { 'a:build': [], 'b:build:prod': ['a:build'], 'c:build': ['b:build:prod'] },
  recordedMs: new Map(),
  workers: 2,
  backend: 'processes',
  start: 1000,
};

describe('buildRunSummary', () => {
  const summary = buildRunSummary(started, { type: 'run-finished', records, start: 1000, end: 1500 });

  it('matches summary.schema.json', () => {
    assert.ok(validate(summary), JSON.stringify(validate.errors));
  });

  it('describes the run and every task', () => {
    assert.deepEqual(summary.run.counts, { succeeded: 1, cached: 0, failed: 1, skipped: 1 });
    assert.equal(summary.run.success, false);
    assert.equal(summary.run.durationMs, 500);
    const [a, b, c] = summary.tasks;
    assert.deepEqual(a, {
      id: 'a:build',
      project: 'a',
      target: 'build',
      configuration: null,
      status: 'succeeded',
      cached: null,
      hash: null,
      reason: null,
      message: null,
      details: null,
      start: new Date(1000).toISOString(),
      end: new Date(1400).toISOString(),
      durationMs: 400,
      queuedMs: 0,
      workerId: 'process-1',
      attempts: 1,
      dependencies: [],
    });
    assert.equal(b?.configuration, 'prod');
    assert.equal(b?.reason, 'worker-crashed');
    assert.equal(b?.attempts, 2);
    assert.equal(c?.start, null, 'a task that never started has no start');
    assert.equal(c?.reason, 'dependency-failed');
  });

  it("gives a distributed failure's data as details, and its text as message", () => {
    const lost: TaskRecord = {
      taskId: 'a:build',
      result: { status: 'failed', reason: 'worker-lost', detected: 'lock-expired', agent: 'ci-3' },
      start: 1000,
      end: 1400,
      attempts: 1,
      output: new TaskOutput(),
    };
    const distributed = buildRunSummary(started, { type: 'run-finished', records: [lost], start: 1000, end: 1500 });
    assert.ok(validate(distributed), JSON.stringify(validate.errors));
    const [task] = distributed.tasks;
    assert.deepEqual(task?.details, { detected: 'lock-expired', agent: 'ci-3' });
    assert.match(task?.message ?? '', /^Agent ci-3 did not finish the task: its job lock expired twice/);
  });

  it('is refused by the schema when a field is missing', () => {
    const broken = { ...summary, tasks: [{ ...summary.tasks[0], status: undefined }] };
    assert.equal(validate(JSON.parse(JSON.stringify(broken))), false);
  });
});

describe('buildTrace', () => {
  it('has one track per worker and one slice per task that ran, named with its status', () => {
    const trace = buildTrace(records, 1000);
    const tracks = trace.traceEvents.filter((event) => event.name === 'thread_name').map((event) => event.args?.name);
    assert.deepEqual(tracks, ['process-1', 'process-2']);
    const slices = trace.traceEvents.filter((event) => event.ph === 'X');
    assert.deepEqual(
      slices.map((event) => [event.name, event.ts, event.dur]),
      [
        ['a:build', 0, 400_000],
        ['b:build:prod (failed)', 400_000, 100_000],
      ],
    );
    assert.deepEqual(slices[1]?.args, {
      status: 'failed',
      attempts: 2,
      reason: 'worker-crashed',
      message: 'The worker process exited with code 3.',
    });
  });
});

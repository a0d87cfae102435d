/**
 * How a task fails on the coordinator, against a real Redis with the test process playing the
 * agent: each distributed reason with its data, the coordinator's own deadline, and no agent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import type { PoolRunResult } from '../../pool/worker-pool';
import { failureText } from '../../report/failure-text';
import { succeeded, useCoordinatorHarness } from '../../test-support/coordinator-harness';
import type { TaskFailure } from '../../report/task-failure';
import type { PROTOCOL_VERSION } from '../protocol/job-protocol';
import { JobRefusedError } from '../protocol/job-refusal';
import { listRuns } from '../protocol/run-registry';

/** The failure of a result, with its status. */
function failureOf(result: PoolRunResult): { status: 'failed' } & TaskFailure {
  const { outcome } = result;
  assert.ok(outcome.status === 'failed', JSON.stringify(outcome));
  return outcome;
}

describe('DistributedPool, when a task fails', () => {
  const h = useCoordinatorHarness();

  it('a job its agent refused: refused, with the agent, the key and the check', async () => {
    await h.serve(
      (job) => {
        const key = `bull:${job.queueName}:${job.id ?? ''}`;
        throw new JobRefusedError('w2', key, { check: 'dependencies', stranger: 'z:build' });
      },
      { name: 'w2' },
    );

    const result = await h.pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);

    const [run] = await listRuns(h.client);
    assert.deepEqual(failureOf(result), {
      status: 'failed',
      reason: 'refused',
      refused: 'job',
      agent: 'w2',
      key: `bull:${run?.queue ?? ''}:task-0`,
      check: 'dependencies',
      stranger: 'z:build',
    });
  });

  it('a result of another shape: refused by the coordinator, naming the result and the agent when it can', async () => {
    await h.serve(() => Promise.resolve({ ...succeeded(''), protocol: 99 as typeof PROTOCOL_VERSION }));

    const result = await h.pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);

    const failure = failureOf(result);
    assert.ok(failure.reason === 'refused' && failure.check === 'protocol', JSON.stringify(failure));
    assert.equal(failure.refused, 'result');
    assert.match(failure.problem, /has protocol 99, this nx-parallel speaks protocol/);
    assert.match(failureText(failure) ?? '', /^The coordinator refused the result under bull:/);
  });

  it('outputs that cannot be fetched: artifact-failed here, with whose archive, its key and the step', async () => {
    const artifact = { key: 'r0/a/gone', sha256: '0'.repeat(64), bytes: 10 };
    await h.serve(() => Promise.resolve({ ...succeeded(''), workerId: 'w1/process-7', artifact }));

    const result = await h.pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);

    const failure = failureOf(result);
    assert.ok(failure.reason === 'artifact-failed', JSON.stringify(failure));
    const { cause, ...where } = failure;
    assert.deepEqual(where, {
      status: 'failed',
      reason: 'artifact-failed',
      side: 'coordinator',
      agent: 'w1/process-7',
      taskId: 'a:build',
      key: 'r0/a/gone',
      step: 'download',
    });
    assert.ok(cause.length > 0);
  });

  it('an agent holding a task past taskTimeout plus the margin: timed-out, and its job withdrawn', async () => {
    const pool = await h.usePool({ taskTimeoutMs: 500, deadlineMarginMs: 500 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // An agent that keeps renewing its lock (BullMQ does, while the processor runs) and never ends.
    await h.serve(async () => {
      await held;
      return succeeded('too late');
    });

    const started = Date.now();
    const result = await pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);
    const tookMs = Date.now() - started;
    release();
    const failure = failureOf(result);
    assert.equal(failure.reason, 'timed-out');
    assert.match(failureText(failure) ?? '', /longer than taskTimeout \(0.5s\) plus 0.5s/);
    assert.ok(tookMs >= 1000, `failed after ${tookMs} ms, before the deadline`);
    const [run] = await listRuns(h.client);
    assert.ok(run);
    const queue = new Queue(run.queue, { connection: h.client });
    assert.equal(await queue.getJob('task-0'), undefined, 'the job is still in the queue');
    await queue.close();
  });

  it('no agent: the run is told first, then the task in flight fails as worker-lost, its result never came', async () => {
    const pool = await h.usePool({ waitForWorkersMs: 1500 });
    const events: string[] = [];
    pool.onLost((cause) => events.push(`lost: ${cause}`));

    const result = await pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);
    events.push(`result: ${result.outcome.status}`);

    assert.equal(events.length, 2);
    assert.match(events[0] ?? '', /^lost: No nx-parallel agent served this run for 1.5s/);
    assert.equal(events[1], 'result: failed');
    const failure = failureOf(result);
    assert.ok(failure.reason === 'worker-lost', JSON.stringify(failure));
    assert.equal(failure.detected, 'result-never-came');
    assert.equal(`lost: ${failure.cause ?? ''}`, events[0], 'the task says why the run stopped');
  });
});

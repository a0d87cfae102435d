/**
 * The coordinator against a real Redis, with the test process playing the worker through BullMQ:
 * the order jobs are taken in, results and outputs coming back, giving up without workers, and
 * what a closed run leaves in Redis.
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { TaskGraph } from '@nx/devkit';
import { Queue, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { startRedis, type TestRedis } from '../../test-support/redis-server';
import type { PoolRunResult } from '../../pool/worker-pool';
import type { WorkerInit } from '../../worker/protocol';
import { packToBuffer } from '../../test-support/archive-buffer';
import { createArtifactStore } from '../artifacts/create-artifact-store';
import { DistributedPool, type DistributedPoolOptions } from './distributed-pool';
import type { OutputChunk } from '../protocol/job-output';
import { PROTOCOL_VERSION, type JobData, type JobResult } from '../protocol/job-protocol';
import { connectRedis } from '../protocol/redis-connection';
import { listRuns, reportPresence } from '../protocol/run-registry';

const TASKS = ['a:build', 'b:build', 'c:build'];

function taskGraph(): TaskGraph {
  const tasks = Object.fromEntries(
    TASKS.map((id) => {
      const [project = '', target = ''] = id.split(':');
      return [id, { id, target: { project, target }, outputs: [`dist/${project}`], overrides: {}, parallelism: true }];
    }),
  );
  return { roots: TASKS, tasks, dependencies: Object.fromEntries(TASKS.map((id) => [id, []])) } as unknown as TaskGraph;
}

function init(root: string): WorkerInit {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectGraph: { nodes: {}, dependencies: {} },
    projectsConfigurations: { version: 2, projects: {} },
    nxJsonConfiguration: {},
    taskGraph: taskGraph(),
    baseEnv: {},
  };
}

function poolOptions(url: string, log: (line: string) => void): DistributedPoolOptions {
  return {
    redis: { url },
    artifactStore: 'redis',
    lockMs: 2000,
    waitForWorkersMs: 60_000,
    selection: { targets: ['build'], projects: ['*'], excludeProjects: [], onlySelected: false },
    taskTimeoutMs: 0,
    maxTasksPerWorker: undefined,
    log,
  };
}

describe('DistributedPool', () => {
  let redis: TestRedis;
  let client: Redis;
  let root: string;
  let pool: DistributedPool;
  let worker: Worker<JobData, JobResult> | undefined;
  let workerConnection: Redis;
  const log: string[] = [];

  before(async () => {
    redis = await startRedis();
    client = await connectRedis({ url: redis.url }, 'test');
    workerConnection = client.duplicate();
  });
  after(async () => {
    workerConnection.disconnect();
    await client.quit();
    await redis.stop();
  });
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-coordinator-'));
    // A coordinator outside a git checkout refuses to announce its run.
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '--allow-empty', '-m', 'one'],
      {
        cwd: root,
      },
    );
    log.length = 0;
    pool = new DistributedPool(poolOptions(redis.url, (line) => log.push(line)));
    await pool.initialize(init(root));
  });
  afterEach(async () => {
    await worker?.close(true);
    worker = undefined;
    await pool.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Plays a worker of concurrency 1 on the run's queue. */
  async function serve(process: (job: Job<JobData, JobResult>, token?: string) => Promise<JobResult>): Promise<void> {
    const [run] = await listRuns(client);
    assert.ok(run, 'the run is announced');
    worker = new Worker<JobData, JobResult>(run.queue, process, { connection: workerConnection, concurrency: 1 });
  }

  /** Waits until the run's queue holds this many jobs, so a worker sees them all at once. */
  async function waitForQueued(count: number): Promise<void> {
    const [run] = await listRuns(client);
    assert.ok(run);
    const queue = new Queue(run.queue, { connection: client });
    const deadline = Date.now() + 10_000;
    while ((await queue.count()) < count) {
      assert.ok(Date.now() < deadline, `fewer than ${count} jobs queued`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await queue.close();
  }

  const succeeded = (output: string): JobResult => ({
    protocol: PROTOCOL_VERSION,
    outcome: { status: 'succeeded' },
    output,
    workerId: 'fake',
  });

  it('hands out the queued tasks highest rank first, and passes each result and its output on', async () => {
    const outputs = new Map<string, string>();
    const results = [
      { seq: 0, taskId: 'a:build', priority: 1 },
      { seq: 1, taskId: 'b:build', priority: 3 },
      { seq: 2, taskId: 'c:build', priority: 2 },
    ].map((request) => pool.run(request, (text) => outputs.set(request.taskId, text)));
    const taken: string[] = [];
    await waitForQueued(3);
    await serve((job) => {
      taken.push(job.data.taskId);
      return Promise.resolve(succeeded(`ran ${job.data.taskId}`));
    });

    const settled = await Promise.all(results);
    assert.deepEqual(taken, ['b:build', 'c:build', 'a:build']);
    assert.deepEqual(
      settled.map((result: PoolRunResult) => result.outcome.status),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    assert.equal(outputs.get('c:build'), 'ran c:build');
  });

  it('fails a task an agent holds past taskTimeout plus the margin as timed-out, and withdraws its job', async () => {
    await pool.close();
    pool = new DistributedPool({
      ...poolOptions(redis.url, (line) => log.push(line)),
      taskTimeoutMs: 500,
      deadlineMarginMs: 500,
    });
    await pool.initialize(init(root));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // An agent that keeps renewing its lock (BullMQ does, while the processor runs) and never ends.
    await serve(async () => {
      await held;
      return succeeded('too late');
    });

    const started = Date.now();
    const result = await pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);
    const tookMs = Date.now() - started;
    release();
    assert.equal(result.outcome.status, 'failed');
    assert.equal(result.outcome.status === 'failed' && result.outcome.reason, 'timed-out');
    assert.match(
      result.outcome.status === 'failed' ? (result.outcome.message ?? '') : '',
      /longer than taskTimeout \(0.5s\) plus 0.5s/,
    );
    assert.ok(tookMs >= 1000 && tookMs < 5000, `failed after ${tookMs} ms`);
    const [run] = await listRuns(client);
    assert.ok(run);
    const queue = new Queue(run.queue, { connection: client });
    assert.equal(await queue.getJob('task-0'), undefined, 'the job is still in the queue');
    await queue.close();
  });

  it('shows output sent live while the task runs, and the rest from the result, once', async () => {
    const printed: string[] = [];
    let seenLive!: () => void;
    const live = new Promise<void>((resolve) => (seenLive = resolve));
    await serve(async (job, token) => {
      const chunk: OutputChunk = { attempt: token ?? '', from: 0, text: 'compiling\n' };
      await job.updateProgress(chunk);
      await live; // the coordinator printed it before the task ended
      return { ...succeeded('compiling\ndone\n'), attempt: token };
    });

    const result = await pool.run({ seq: 0, taskId: 'a:build' }, (text) => {
      printed.push(text);
      if (text === 'compiling\n') seenLive();
    });

    assert.equal(result.outcome.status, 'succeeded');
    assert.deepEqual(printed, ['compiling\n', 'done\n']);
  });

  it("restores the outputs a worker stored into the coordinator's workspace", async () => {
    const store = createArtifactStore('redis', { redis: client });
    await serve(async (job) => {
      const machine = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-machine-'));
      fs.mkdirSync(path.join(machine, 'dist/a'), { recursive: true });
      fs.writeFileSync(path.join(machine, 'dist/a/out.txt'), 'from the worker');
      const packed = await packToBuffer(machine, ['dist/a']);
      fs.rmSync(machine, { recursive: true, force: true });
      const key = `${job.data.runId}/a/1`;
      await store.put(key, Readable.from([packed.data]));
      return { ...succeeded(''), artifact: { key, sha256: packed.sha256, bytes: packed.data.length } };
    });

    const result = await pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);

    assert.equal(result.outcome.status, 'succeeded');
    assert.equal(fs.readFileSync(path.join(root, 'dist/a/out.txt'), 'utf8'), 'from the worker');
  });

  it('gives up when no worker comes, telling the run first and failing the task in flight', async () => {
    await pool.close();
    pool = new DistributedPool({ ...poolOptions(redis.url, (line) => log.push(line)), waitForWorkersMs: 1500 });
    await pool.initialize(init(root));
    const events: string[] = [];
    pool.onLost((cause) => events.push(`lost: ${cause}`));

    const result = await pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);
    events.push(`result: ${result.outcome.status}`);

    assert.equal(events.length, 2);
    assert.match(events[0] ?? '', /^lost: No nx-parallel worker served this run for 1.5s/);
    assert.equal(events[1], 'result: failed');
    assert.equal(result.outcome.status === 'failed' && result.outcome.reason, 'worker-lost');
  });

  it('says which workers joined and which stopped answering', async () => {
    const [run] = await listRuns(client);
    assert.ok(run);
    await reportPresence(client, run.runId, { workerId: 'ci-7', concurrency: 4, lastSeen: 1 });
    const deadline = Date.now() + 10_000;
    while (!log.some((line) => line.includes('ci-7 stopped answering'))) {
      assert.ok(Date.now() < deadline, `no word of the silent worker: ${log.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(log.includes('Worker ci-7 joined the run (4 at a time).'));
  });

  it('leaves no job, no run and no archive in Redis once closed', async () => {
    void pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);
    const [run] = await listRuns(client);
    assert.ok(run);
    await pool.close();

    assert.deepEqual(await listRuns(client), []);
    assert.deepEqual(await client.keys(`*${run.runId}*`), []);
  });

  it('stops the run when Redis keeps its connections but answers nothing', async () => {
    const frozen = await startRedis();
    const lost: string[] = [];
    const other = new DistributedPool({
      ...poolOptions(frozen.url, () => undefined),
      timing: { checkMs: 100, redisSilentMs: 1500, closeDeadlineMs: 500 },
    });
    try {
      await other.initialize(init(root));
      other.onLost((cause) => lost.push(cause));
      frozen.process.kill('SIGSTOP');
      const result = await other.run({ seq: 0, taskId: 'a:build' }, () => undefined);
      assert.equal(result.outcome.status, 'failed');
      assert.equal(lost.length, 1);
      assert.match(lost[0] ?? '', /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? has not answered for 1.5s/);
    } finally {
      await other.close();
      frozen.process.kill('SIGCONT');
      await frozen.stop();
    }
  });
});

/**
 * The coordinator of a distributed run against a real Redis, with the test process playing the
 * agent through BullMQ: a fresh git checkout and a fresh DistributedPool for each test, closed
 * after it with the fake agent.
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import type { TaskGraph } from '@nx/devkit';
import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import type Redis from 'ioredis';
import type { Notice, Notify } from '../report/notices';
import type { WorkerInit } from '../worker/protocol';
import { DistributedPool, type DistributedPoolOptions } from '../distributed/coordinator/distributed-pool';
import { PROTOCOL_VERSION, type JobData, type JobResult } from '../distributed/protocol/job-protocol';
import { connectRedis } from '../distributed/protocol/redis-connection';
import { listRuns } from '../distributed/protocol/run-registry';
import { startRedis, type TestRedis } from './redis-server';

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

export function coordinatorInit(root: string): WorkerInit {
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

export function poolOptions(url: string, notify: Notify): DistributedPoolOptions {
  return {
    redis: { url },
    artifactStore: 'redis',
    lockMs: 2000,
    waitForWorkersMs: 60_000,
    selection: { targets: ['build'], projects: ['*'], excludeProjects: [], onlySelected: false },
    taskTimeoutMs: 0,
    maxTasksPerWorker: undefined,
    notify,
  };
}

export const succeeded = (output: string): JobResult => ({
  protocol: PROTOCOL_VERSION,
  outcome: { status: 'succeeded' },
  output,
  workerId: 'fake',
});

type Processor = (job: Job<JobData, JobResult>, token?: string) => Promise<JobResult>;

export interface CoordinatorHarness {
  readonly redis: TestRedis;
  readonly client: Redis;
  readonly root: string;
  readonly pool: DistributedPool;
  /** What the pool said, this test. */
  readonly notices: Notice[];
  /** Replaces this test's pool with one of these options. */
  usePool(options: Partial<DistributedPoolOptions>): Promise<DistributedPool>;
  /** Plays an agent of concurrency 1 on the run's queue. */
  serve(process: Processor, options?: Partial<WorkerOptions>): Promise<void>;
  /** Waits until the run's queue holds this many jobs, so an agent sees them all at once. */
  waitForQueued(count: number): Promise<void>;
}

export function useCoordinatorHarness(): CoordinatorHarness {
  let redis: TestRedis | undefined;
  let client: Redis | undefined;
  let agentConnection: Redis | undefined;
  let root = '';
  let pool: DistributedPool | undefined;
  let agent: Worker<JobData, JobResult> | undefined;
  const notices: Notice[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the coordinator harness is used before its hooks ran');
    return value;
  };
  const usePool = async (options: Partial<DistributedPoolOptions>): Promise<DistributedPool> => {
    await pool?.close();
    pool = new DistributedPool({ ...poolOptions(ready(redis).url, (notice) => notices.push(notice)), ...options });
    await pool.initialize(coordinatorInit(root));
    return pool;
  };
  const run = async (): Promise<string> => {
    const [announced] = await listRuns(ready(client));
    assert.ok(announced, 'the run is announced');
    return announced.queue;
  };

  before(async () => {
    redis = await startRedis();
    client = await connectRedis({ url: redis.url }, 'test');
    agentConnection = client.duplicate();
  });
  after(async () => {
    agentConnection?.disconnect();
    await client?.quit();
    await redis?.stop();
  });
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-coordinator-'));
    // A coordinator outside a git checkout refuses to announce its run.
    execFileSync('git', ['init', '-q'], { cwd: root });
    const identity = ['-c', 'user.name=t', '-c', 'user.email=t@localhost'];
    execFileSync('git', [...identity, 'commit', '-q', '--allow-empty', '-m', 'one'], { cwd: root });
    notices.length = 0;
    await usePool({});
  });
  afterEach(async () => {
    await agent?.close(true);
    agent = undefined;
    await pool?.close();
    pool = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  return {
    get redis() {
      return ready(redis);
    },
    get client() {
      return ready(client);
    },
    get root() {
      return root;
    },
    get pool() {
      return ready(pool);
    },
    notices,
    usePool,
    async serve(process, options = {}) {
      const connection = ready(agentConnection);
      agent = new Worker<JobData, JobResult>(await run(), process, { connection, concurrency: 1, ...options });
      // A job withdrawn or taken over fails to complete here, as on a real agent: not the test's business.
      agent.on('error', () => undefined);
    },
    async waitForQueued(count) {
      const queue = new Queue(await run(), { connection: ready(client) });
      const deadline = Date.now() + 10_000;
      while ((await queue.count()) < count) {
        assert.ok(Date.now() < deadline, `fewer than ${count} jobs queued`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await queue.close();
    },
  };
}

/**
 * Workers that fail under a distributed run: a worker killed mid-task (its task runs again on the
 * other worker and nothing of the dead one is left), a worker stopped long enough to be taken for
 * dead (its late result never replaces the accepted one), and Ctrl-C on the coordinator while tasks
 * hang on both workers (the run ends at once and leaves nothing in Redis or on the workers).
 */
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { after, afterEach, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { queueName } from '../src/distributed/protocol/run-names';
import { listRuns } from '../src/distributed/protocol/run-registry';
import { startRedis, type TestRedis } from '../src/test-support/redis-server';
import { Cluster } from './support/cluster';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, findStarted, isAlive, make, readRan } from './support/distributed';
import { exitsWithin, startNx } from './support/run-nx';
import { findExecutorProcess, waitFor } from './support/run-processes';
import { getSandbox, type Sandbox } from './support/sandbox';
import { parallelTarget, type ProjectSpec } from './support/workspace';

const LOCK_SECONDS = 2;
/** How long a stalled job may take to move to another worker beyond its lock: two stall checks and a start. */
const TAKEOVER_SLACK_MS = 6000;
const EXIT_WITHIN_MS = 5000;

interface SummaryTask {
  id: string;
  status: string;
  workerId: string | null;
}

function summaryTasks(cluster: Cluster): SummaryTask[] {
  return (JSON.parse(cluster.read('dist/summary.json')) as { tasks: SummaryTask[] }).tasks;
}

describe('distributed workers that fail', () => {
  let sandbox: Sandbox;
  let redis: TestRedis;
  let client: Redis;
  let cluster: Cluster | undefined;
  before(async () => {
    sandbox = await getSandbox();
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await cluster?.cleanUp();
    cluster = undefined;
  });
  after(async () => {
    client.disconnect();
    await redis.stop();
  });

  const makeCluster = (name: string, projects: Record<string, ProjectSpec>, runner: Record<string, unknown>): Cluster =>
    (cluster = new Cluster(
      sandbox,
      {
        name,
        nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
        files: MAKE_FILES,
        projects: {
          ...projects,
          runner: {
            targets: {
              parallel: parallelTarget({
                projects: Object.keys(projects),
                parallelBackend: 'distributed',
                waitForWorkersSeconds: 30,
                // Ignored by git: an untracked file would make the coordinator's checkout differ from the workers'.
                summaryFile: 'dist/summary.json',
                ...runner,
              }),
            },
          },
        },
      },
      redis.url,
    ));

  const keys = (pattern: string): Promise<string[]> => client.keys(pattern);

  test('a worker killed mid-task: the task runs again on the other worker and nothing of the dead one is left', async () => {
    const c = makeCluster(
      'faults-killed',
      {
        base: { targets: { build: make() } },
        hang: { deps: ['base'], targets: { build: make({ hangOnce: true }) } },
        app: { deps: ['hang'], targets: { build: make() } },
      },
      { workerLockSeconds: LOCK_SECONDS },
    );
    const workers = await c.startWorkers('w1', 'w2');
    const nx = startNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    const started = await waitFor('hang:build to start', () => findStarted(c.shared, 'hang:build'), 60_000);
    const victim = workers.find((worker) => worker.name === started.worker);
    const other = workers.find((worker) => worker.name !== started.worker);
    assert.ok(victim && other, `hang:build started on ${started.worker}`);

    victim.child.kill('SIGKILL');
    await waitFor(
      `hang:build to run again on ${other.name} within workerLockSeconds plus ${TAKEOVER_SLACK_MS / 1000}s`,
      () => readRan(c.shared).find((ran) => ran.task === 'hang:build' && ran.worker === other.name),
      LOCK_SECONDS * 1000 + TAKEOVER_SLACK_MS,
    );
    await waitFor('the killed worker to leave no process', () => victim.processes().length === 0, 5000);
    assert.ok(!isAlive(started.pid), 'the task process of the killed worker is left');
    assert.ok(started.childPid && !isAlive(started.childPid), 'the sleep its task started is left');

    const run = await nx.finished;
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /stopped answering; the task goes to another agent/);
    // Each task has one accepted result: one summary entry, made once (the killed attempt never made it).
    assert.deepEqual(
      readRan(c.shared)
        .map((ran) => ran.task)
        .sort(),
      ['app:build', 'base:build', 'hang:build'],
    );
    const tasks = summaryTasks(c);
    assert.deepEqual(
      tasks.map((task) => [task.id, task.status]),
      [
        ['base:build', 'succeeded'],
        ['hang:build', 'succeeded'],
        ['app:build', 'succeeded'],
      ],
    );
    assert.match(tasks.find((task) => task.id === 'hang:build')?.workerId ?? '', new RegExp(`^${other.name}/`));
    assert.equal(c.read('dist/libs/app/out.txt'), 'built base\nbuilt hang\nbuilt app\n');
    assert.deepEqual(run.leftovers, []);
  });

  test("a worker taken for dead: its late result never replaces the other worker's", async () => {
    const c = makeCluster(
      'faults-late',
      {
        slow: { targets: { build: make({ sleepMs: 4000, sign: true }) } },
        app: { deps: ['slow'], targets: { build: make() } },
      },
      { workerLockSeconds: LOCK_SECONDS },
    );
    const workers = await c.startWorkers('w1', 'w2');
    const nx = startNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    const first = await waitFor(
      'slow:build to start',
      () => workers.map((worker) => findStarted(c.shared, 'slow:build', worker.name)).find(Boolean),
      60_000,
    );
    const late = workers.find((worker) => worker.name === first.worker);
    const other = workers.find((worker) => worker.name !== first.worker);
    assert.ok(late && other);

    // The worker stops answering (its task's process goes on, and ends, meanwhile).
    late.child.kill('SIGSTOP');
    await waitFor(
      `slow:build to start again on ${other.name}`,
      () => findStarted(c.shared, 'slow:build', other.name),
      LOCK_SECONDS * 1000 + TAKEOVER_SLACK_MS,
    );
    // Back while the other worker still runs the task: its own attempt has ended meanwhile.
    late.child.kill('SIGCONT');
    await late.waitFor(/Dropped the result of slow:build: this worker lost its job/, 10_000);

    const run = await nx.finished;
    assert.equal(run.code, 0, run.output);
    // The late attempt stored nothing: every archive of the run was the coordinator's to delete.
    assert.deepEqual(await keys('nx-parallel:artifact:*'), []);
    const attempts = readRan(c.shared).filter((ran) => ran.task === 'slow:build');
    assert.deepEqual(attempts.map((ran) => ran.worker).sort(), [late.name, other.name].sort());
    assert.equal(c.read('dist/libs/slow/out.txt'), `built slow on ${other.name}\n`);
    assert.equal(c.read('dist/libs/app/out.txt'), `built slow on ${other.name}\nbuilt app\n`);
    assert.match(
      summaryTasks(c).find((task) => task.id === 'slow:build')?.workerId ?? '',
      new RegExp(`^${other.name}/`),
    );
    assert.match(run.output, new RegExp(`made slow:build on ${other.name}`));
    assert.doesNotMatch(run.output, new RegExp(`made slow:build on ${late.name}`));
    assert.equal(late.child.exitCode, null, late.log());
  });

  test('Ctrl-C on the coordinator while tasks hang on both workers: out within 5 s, nothing left, workers serve on', async () => {
    // The second run's attempts meet, so each of the two workers must serve one of them.
    const build = make({ hangOnce: true, meet: ['left:build', 'right:build'] });
    const c = makeCluster('faults-sigint', { left: { targets: { build } }, right: { targets: { build } } }, {});
    const workers = await c.startWorkers('w1', 'w2');
    const nx = startNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    const hung = await waitFor(
      'both tasks to hang',
      () => {
        const both = ['left:build', 'right:build'].map((task) => findStarted(c.shared, task));
        return both.every(Boolean) ? (both as NonNullable<(typeof both)[number]>[]) : undefined;
      },
      60_000,
    );
    assert.deepEqual(new Set(hung.map((started) => started.worker)), new Set(['w1', 'w2']));
    const [run1] = await listRuns(client);
    assert.ok(run1, 'the run is announced');

    // The coordinator is the process nx runs the executor in; nx itself leaves at once on Ctrl-C.
    const executor = await waitFor('the executor process', () => findExecutorProcess(nx.marker));
    process.kill(-nx.pid, 'SIGINT');
    const signalled = Date.now();
    assert.ok(await exitsWithin(nx, EXIT_WITHIN_MS), 'nx did not exit within 5 s of SIGINT');
    const exitedAfter = await waitFor(
      'the coordinator to exit',
      () => (isAlive(executor) ? undefined : Date.now() - signalled),
      2 * EXIT_WITHIN_MS,
    );
    assert.ok(exitedAfter < EXIT_WITHIN_MS, `the coordinator exited ${exitedAfter} ms after SIGINT`);
    const run = await nx.finished;
    assert.notEqual(run.code, 0, run.output);
    assert.deepEqual(run.leftovers, []);

    const pids = hung.flatMap((started) => [started.pid, started.childPid ?? 0]);
    await waitFor('the hung tasks to be killed on the workers', () => pids.every((pid) => !isAlive(pid)), 10_000);
    await Promise.all(workers.map((worker) => worker.waitFor(new RegExp(`Left run ${run1.runId}`), 10_000)));
    // Nothing of the run is left in Redis: no job, no announcement, no archive.
    assert.deepEqual(await keys(`bull:${queueName(run1.runId)}*`), []);
    assert.deepEqual(await keys(`nx-parallel:run:${run1.runId}*`), []);
    assert.deepEqual(await keys(`nx-parallel:artifact:${run1.runId}*`), []);
    assert.deepEqual(await listRuns(client), []);
    const queue = new Queue(queueName(run1.runId), { connection: client });
    const counts = await queue.getJobCounts();
    await queue.close();
    assert.deepEqual(
      Object.entries(counts).filter(([, count]) => count > 0),
      [],
      'jobs left in the queue',
    );

    for (const worker of workers) assert.equal(worker.child.exitCode, null, worker.log());
    const next = await startNx(c.coordinator, ['run', 'runner:parallel'], c.env()).finished;
    assert.equal(next.code, 0, next.output);
    assert.deepEqual(new Set(readRan(c.shared).map((ran) => ran.worker)), new Set(['w1', 'w2']));
    // Between runs, each worker keeps one connection to Redis, however many runs it served.
    await Promise.all(workers.map((worker) => worker.waitFor(/Left run[^]*Left run/, 10_000)));
    const names = ((await client.client('LIST')) as string).match(/ name=\S*/g) ?? [];
    for (const worker of workers) {
      assert.equal(names.filter((name) => name === ` name=nx-parallel_worker_${worker.name}`).length, 1, names.join());
    }
  });
});

/**
 * A distributed run that cannot go on: a worker whose checkout differs from the coordinator's,
 * Redis unreachable at the start or lost mid-run, and no worker at all. Each ends the run promptly
 * with a message that says what happened and what to do, and exit code 1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { freePort, startRedis, type TestRedis } from '../src/test-support/redis-server';
import { Cluster } from './support/cluster';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, commitWorkspace, findStarted, isAlive, make } from './support/distributed';
import { runNx, startNx } from './support/run-nx';
import { waitFor } from './support/run-processes';
import { getSandbox, type Sandbox } from './support/sandbox';
import { parallelTarget } from './support/workspace';

function headCommit(root: string): string {
  return spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
}

describe('a distributed run that cannot go on', () => {
  let sandbox: Sandbox;
  let redis: TestRedis;
  let cluster: Cluster | undefined;
  /** Redis servers a test started for itself. */
  const ownRedis: TestRedis[] = [];
  before(async () => {
    sandbox = await getSandbox();
    redis = await startRedis();
  });
  afterEach(async () => {
    await cluster?.cleanUp();
    cluster = undefined;
    for (const server of ownRedis.splice(0)) await server.stop();
  });
  after(() => redis.stop());

  const makeCluster = (name: string, runner: Record<string, unknown>, redisUrl = redis.url): Cluster =>
    (cluster = new Cluster(
      sandbox,
      {
        name,
        nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
        files: MAKE_FILES,
        projects: {
          hang: { targets: { build: make({ hangOnce: true }) } },
          app: { deps: ['hang'], targets: { build: make() } },
          runner: {
            targets: {
              parallel: parallelTarget({ projects: ['hang', 'app'], parallelBackend: 'distributed', ...runner }),
            },
          },
        },
      },
      redisUrl,
    ));

  test('a worker on another commit refuses the run, and the coordinator names both commits and what to do', async () => {
    const c = makeCluster('faults-fingerprint', { waitForWorkersSeconds: 3 });
    const machine = c.machine('w2');
    fs.writeFileSync(path.join(machine.root, 'NOTES.md'), 'a change only this machine has\n');
    commitWorkspace(machine.root, 'extra');
    const [coordinatorCommit, workerCommit] = [headCommit(c.coordinator.root), headCommit(machine.root)];
    assert.notEqual(coordinatorCommit, workerCommit);
    await c.startWorkers('w2');

    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, new RegExp(`Agent w2 refused this run: .*commit: ${coordinatorCommit} .*${workerCommit}`));
    // Both fingerprints in full, and the way out.
    assert.match(
      run.output,
      new RegExp(`\\n  coordinator: commit=${coordinatorCommit}, changes=.+, lockFile=.+, nx=.+, nxParallel=.+\\n`),
    );
    assert.match(
      run.output,
      new RegExp(`\\n  agent w2: commit=${workerCommit}, changes=.+, lockFile=.+, nx=.+, nxParallel=.+\\n`),
    );
    assert.match(run.output, /check out the coordinator's commit .*install the same lock file/);
    assert.match(run.output, /No nx-parallel agent served this run for 3s \(waitForWorkersSeconds\); refused by w2/);
    assert.equal(findStarted(c.shared, 'hang:build'), undefined, 'a task ran on the refusing worker');
  });

  test('a worker whose checkout is not a git checkout refuses the run: what cannot be known never matches', async () => {
    const c = makeCluster('faults-not-git', { waitForWorkersSeconds: 3 });
    const machine = c.machine('w2');
    fs.rmSync(path.join(machine.root, '.git'), { recursive: true, force: true });
    await c.startWorkers('w2');

    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /Agent w2 refused this run: its workspace cannot be compared with the coordinator's: the workspace on w2 cannot be compared \(commit: unknown \(not a git checkout/,
    );
    assert.match(run.output, /Run the coordinator and every agent in a git checkout of the same commit/);
    assert.equal(findStarted(c.shared, 'hang:build'), undefined, 'a task ran on the refusing worker');
  });

  test('a coordinator outside a git checkout refuses to announce the run, and says what to do', async () => {
    const c = makeCluster('faults-coordinator-not-git', { waitForWorkersSeconds: 30 });
    fs.rmSync(path.join(c.coordinator.root, '.git'), { recursive: true, force: true });
    await c.startWorkers('w1');

    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /The distributed backend cannot run here: the workspace on the coordinator cannot be compared \(commit: unknown/,
    );
    assert.doesNotMatch(run.output, /Waiting for nx-parallel agents/);
    assert.equal(findStarted(c.shared, 'hang:build'), undefined, 'a task ran on a worker');
  });

  test('Redis unreachable at the start: a clear error, exit code 1', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const c = makeCluster('faults-no-redis', { redisUrl: url, waitForWorkersSeconds: 60 }, url);
    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(`Cannot use Redis at ${url} \\(ECONNREFUSED\\)\\. Check that Redis runs there`),
    );
    assert.doesNotMatch(run.output, /Waiting for nx-parallel agents/);
  });

  test('Redis lost mid-run: a failure naming the lost Redis, no hang, exit code 1, no task left on the worker', async () => {
    const lost = await startRedis();
    ownRedis.push(lost);
    const c = makeCluster('faults-redis-lost', { waitForWorkersSeconds: 60, workerLockSeconds: 2 }, lost.url);
    const [worker] = await c.startWorkers('w1');
    const nx = startNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    const hung = await waitFor('hang:build to start', () => findStarted(c.shared, 'hang:build'), 60_000);

    await lost.stop();
    const run = await nx.finished;
    // Ended by itself, not by the test's timeout (which kills nx with SIGKILL).
    assert.equal(run.signal, null, run.output);
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(
        `Lost the connection to Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${lost.port} for 5s; the run stopped`,
      ),
    );
    assert.ok(!run.output.includes(lost.password), 'the Redis password is printed');
    assert.doesNotMatch(run.output, /ECONNREFUSED/, 'each failed reconnection is printed');
    assert.deepEqual(run.leftovers, []);
    // The worker, cut off as well, stops the run's task once its job lock has expired, and waits for Redis.
    await worker?.waitFor(/Lost Redis for 2s \(workerLockSeconds\): leaving run/, 10_000);
    await waitFor(
      'the task to be stopped on the worker',
      () => !isAlive(hung.pid) && !isAlive(hung.childPid ?? 0),
      5000,
    );
    assert.equal(worker?.child.exitCode, null, worker?.log());
  });

  test('no worker: the coordinator says it waits, then gives up, exit code 1', async () => {
    const c = makeCluster('faults-no-worker', { waitForWorkersSeconds: 2 });
    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 1, run.output);
    const waiting = run.output.search(
      /Waiting for nx-parallel agents \(none serves this run yet\); giving up after 2s/,
    );
    const gaveUp = run.output.search(
      /No nx-parallel agent served this run for 2s \(waitForWorkersSeconds\)\. Start agents/,
    );
    assert.ok(waiting >= 0 && gaveUp > waiting, run.output);
    assert.match(run.output, /- hang:build \(failed: /);
  });
});

/**
 * The distributed backend end to end: a coordinator workspace and two worker workspaces (copies
 * standing for other machines) on a real Redis run a real graph. Every task runs once, both workers
 * are used, and every output ends up in the coordinator's workspace.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startRedis, type TestRedis } from '../src/test-support/redis-server';
import {
  MAKE_FILES,
  MAKE_TARGET_DEFAULTS,
  commitWorkspace,
  make,
  copyWorkspace,
  readRan,
  startWorker,
  type WorkerProcess,
} from './support/distributed';
import { runNx } from './support/run-nx';
import { getSandbox, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

/** base <- left, base <- right, left & right <- app; left and right must run at the same time. */
function graphWorkspace(sandbox: Sandbox): Workspace {
  const meet = ['left:build', 'right:build'];
  return makeWorkspace(sandbox, {
    name: 'distributed',
    nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
    files: MAKE_FILES,
    projects: {
      base: { targets: { build: make() } },
      left: { deps: ['base'], targets: { build: make({ meet }) } },
      right: { deps: ['base'], targets: { build: make({ meet }) } },
      app: {
        deps: ['left', 'right'],
        targets: {
          build: make(),
          parallel: parallelTarget({ parallelBackend: 'distributed', waitForWorkersSeconds: 60 }),
        },
      },
    },
  });
}

describe('distributed backend', () => {
  let sandbox: Sandbox;
  let redis: TestRedis;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    sandbox = await getSandbox();
    redis = await startRedis();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await redis.stop();
  });

  const sharedDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-shared-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const worker = (workspace: Workspace, name: string, shared: string): WorkerProcess => {
    const started = startWorker(workspace, { redisUrl: redis.url, name, sharedDir: shared });
    cleanups.push(() => started.stop('SIGKILL'));
    return started;
  };

  test('runs every task once on two workers and brings every output home', async () => {
    const coordinator = graphWorkspace(sandbox);
    commitWorkspace(coordinator.root);
    const machines = [copyWorkspace(coordinator, 'w1'), copyWorkspace(coordinator, 'w2')];
    cleanups.push(() => [coordinator, ...machines].forEach(removeWorkspace));
    const shared = sharedDir();
    const workers = machines.map((machine, i) => worker(machine, `w${i + 1}`, shared));
    await Promise.all(workers.map((w) => w.waitFor(/waits for runs/)));

    const run = await runNx(coordinator, ['run', 'app:parallel'], {
      NX_PARALLEL_REDIS_URL: redis.url,
      E2E_SHARED_DIR: shared,
    });

    assert.equal(run.code, 0, run.output);
    const ran = readRan(shared);
    assert.deepEqual(ran.map((r) => r.task).sort(), ['app:build', 'base:build', 'left:build', 'right:build']);
    assert.deepEqual(new Set(ran.map((r) => r.worker)), new Set(['w1', 'w2']));
    const out = (project: string): string =>
      fs.readFileSync(path.join(coordinator.root, 'dist/libs', project, 'out.txt'), 'utf8');
    assert.equal(out('base'), 'built base\n');
    assert.equal(out('app'), 'built base\nbuilt left\nbuilt base\nbuilt right\nbuilt app\n');
    assert.match(run.output, /made left:build on w[12]/, 'task output reaches the coordinator');
  });
});

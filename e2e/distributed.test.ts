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
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import Ajv from 'ajv';
import { startRedis, type TestRedis } from '../src/test-support/redis-server';
import { startS3 } from '../src/test-support/s3-server';
import {
  MAKE_FILES,
  MAKE_TARGET_DEFAULTS,
  commitWorkspace,
  make,
  copyWorkspace,
  pullWorkspace,
  readRan,
  startWorker,
  type WorkerProcess,
} from './support/distributed';
import { runNx, startNx } from './support/run-nx';
import { getSandbox, REPO_ROOT, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const SUMMARY_SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'summary.schema.json'), 'utf8')) as object;

interface GraphOptions {
  parallel?: Record<string, unknown>;
  /** base:build hangs on its first attempt. */
  hang?: boolean;
  /** left:build and right:build wait for each other: two workers must run them. */
  meet?: boolean;
  /** build is cacheable, with each project's files as inputs. */
  cache?: boolean;
}

/** base <- left, base <- right, left & right <- app, each built by tools/make. */
function graphWorkspace(sandbox: Sandbox, options: GraphOptions): Workspace {
  const { parallel = {}, hang = false, meet: together = true, cache = false } = options;
  const meet = together ? ['left:build', 'right:build'] : [];
  const build = { ...MAKE_TARGET_DEFAULTS.build, ...(cache ? { cache: true, inputs: ['{projectRoot}/**/*'] } : {}) };
  return makeWorkspace(sandbox, {
    name: 'distributed',
    nxJson: { targetDefaults: { build } },
    files: MAKE_FILES,
    projects: {
      base: { targets: { build: make(hang ? { hangOnce: true } : {}) } },
      left: { deps: ['base'], targets: { build: make({ meet }) } },
      right: { deps: ['base'], targets: { build: make({ meet }) } },
      app: {
        deps: ['left', 'right'],
        targets: {
          build: make(),
          parallel: parallelTarget({ parallelBackend: 'distributed', waitForWorkersSeconds: 60, ...parallel }),
        },
      },
    },
  });
}

async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
  /** A coordinator and two worker machines, each worker of concurrency 1, all waiting for a run. */
  async function machines(
    graph: GraphOptions = {},
    env: Record<string, string> = {},
  ): Promise<{ coordinator: Workspace; shared: string; workers: WorkerProcess[]; copies: Workspace[] }> {
    const coordinator = graphWorkspace(sandbox, graph);
    commitWorkspace(coordinator.root);
    const copies = [copyWorkspace(coordinator, 'w1'), copyWorkspace(coordinator, 'w2')];
    cleanups.push(() => [coordinator, ...copies].forEach(removeWorkspace));
    const shared = sharedDir();
    const workers = copies.map((copy, i) => {
      const started = startWorker(copy, { redisUrl: redis.url, name: `w${i + 1}`, sharedDir: shared, env });
      cleanups.push(() => started.stop('SIGKILL'));
      return started;
    });
    await Promise.all(workers.map((w) => w.waitFor(/waits for runs/)));
    return { coordinator, shared, workers, copies };
  }

  test('runs every task once on two workers and brings every output home', async () => {
    const { coordinator, shared } = await machines();

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

  test('carries outputs through an S3 store and leaves nothing in it', async () => {
    const s3 = await startS3(['artifacts']);
    cleanups.push(() => s3.stop());
    const { coordinator, shared } = await machines({ parallel: { artifactStore: 's3://artifacts/ci' } }, s3.env);

    const run = await runNx(coordinator, ['run', 'app:parallel'], {
      ...s3.env,
      NX_PARALLEL_REDIS_URL: redis.url,
      E2E_SHARED_DIR: shared,
    });

    assert.equal(run.code, 0, run.output);
    assert.equal(readRan(shared).length, 4);
    const app = fs.readFileSync(path.join(coordinator.root, 'dist/libs/app/out.txt'), 'utf8');
    assert.match(app, /built base\n(.|\n)*built left(.|\n)*built right(.|\n)*built app/);
    const client = new S3Client({
      forcePathStyle: true,
      endpoint: s3.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'artifacts' }));
    client.destroy();
    assert.deepEqual(listed.Contents ?? [], [], 'the run removes its archives at its end');
  });

  test('a worker told to stop hands its running task back, and another worker runs it', async () => {
    // A long lock: the task moves on at once because it is handed back, not because the lock expired.
    const { coordinator, shared, workers } = await machines({
      parallel: { workerLockSeconds: 300 },
      hang: true,
      meet: false,
    });
    const started = path.join(shared, 'base_build.started');

    const nx = startNx(coordinator, ['run', 'app:parallel'], {
      NX_PARALLEL_REDIS_URL: redis.url,
      E2E_SHARED_DIR: shared,
    });
    await waitForFile(started);
    const first = (JSON.parse(fs.readFileSync(started, 'utf8')) as { worker: string }).worker;
    const stopping = workers.find((w) => w.name === first);
    assert.ok(stopping, `the task started on ${first}`);
    assert.equal(await stopping.stop('SIGTERM'), 0, stopping.log());
    const run = await nx.finished;

    assert.equal(run.code, 0, run.output);
    const base = readRan(shared).filter((r) => r.task === 'base:build');
    assert.deepEqual(
      base.map((r) => r.worker),
      [first === 'w1' ? 'w2' : 'w1'],
    );
    assert.ok(fs.existsSync(path.join(coordinator.root, 'dist/libs/app/out.txt')));
  });

  test("stores what workers built in Nx's cache, and sends a worker the outputs of cache hits", async () => {
    // The summary file is not git-ignored: the run leaves it out of its fingerprint, or the second
    // run would be refused by every worker.
    const summaryFile = 'reports/summary.json';
    const { coordinator, shared, copies } = await machines({ cache: true, meet: false, parallel: { summaryFile } });
    const env = { NX_PARALLEL_REDIS_URL: redis.url, E2E_SHARED_DIR: shared };
    const first = await runNx(coordinator, ['run', 'app:parallel'], env);
    assert.equal(first.code, 0, first.output);

    // A new commit changes app only; the workers check it out on fresh machines (no build outputs).
    fs.writeFileSync(path.join(coordinator.root, 'libs/app/notes.txt'), 'changed\n');
    commitWorkspace(coordinator.root, 'change app');
    for (const copy of copies) {
      pullWorkspace(copy, coordinator);
      fs.rmSync(path.join(copy.root, 'dist'), { recursive: true, force: true });
    }
    fs.rmSync(path.join(shared, 'ran.log'));
    const second = await runNx(coordinator, ['run', 'app:parallel'], env);

    assert.equal(second.code, 0, second.output);
    for (const project of ['base', 'left', 'right']) {
      assert.match(second.output, new RegExp(`nx run ${project}:build\\s+\\[local cache\\]`));
    }
    assert.deepEqual(
      readRan(shared).map((r) => r.task),
      ['app:build'],
    );
    const app = fs.readFileSync(path.join(coordinator.root, 'dist/libs/app/out.txt'), 'utf8');
    assert.match(app, /built left(.|\n)*built right(.|\n)*built app/);
    const summary = JSON.parse(fs.readFileSync(path.join(coordinator.root, summaryFile), 'utf8')) as {
      run: { backend: string };
      tasks: { id: string; workerId?: string }[];
    };
    const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(SUMMARY_SCHEMA);
    assert.ok(validate(summary), JSON.stringify(validate.errors));
    assert.equal(summary.run.backend, 'distributed');
    assert.match(summary.tasks.find((task) => task.id === 'app:build')?.workerId ?? '', /^w[12]\/process-\d+$/);
  });
});

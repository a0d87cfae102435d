/**
 * Malicious archives of task outputs, from a rogue worker with access to Redis: each stored under
 * its correct sha256, each with an entry that climbs out of the workspace. The coordinator refuses
 * one as a task's result, a real worker refuses one as a dependency's outputs; neither writes
 * anything, and the run ends.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { rawArchive } from '../src/test-support/raw-archive';
import { startRedis, type TestRedis } from '../src/test-support/redis-server';
import { Cluster } from './support/cluster';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make, readRan } from './support/distributed';
import { RogueWorker } from './support/rogue-worker';
import { startNx } from './support/run-nx';
import { getSandbox, type Sandbox } from './support/sandbox';
import { parallelTarget, type Workspace } from './support/workspace';

const BEFORE = 'an output of an earlier build\n';

/** Writes base's output as an earlier build left it. */
function writeEarlierOutput(workspace: Workspace): void {
  fs.mkdirSync(path.join(workspace.root, 'dist/libs/base'), { recursive: true });
  fs.writeFileSync(path.join(workspace.root, 'dist/libs/base/out.txt'), BEFORE);
}

function readOutput(workspace: Workspace): string {
  return fs.readFileSync(path.join(workspace.root, 'dist/libs/base/out.txt'), 'utf8');
}

describe('malicious archives of task outputs', () => {
  let sandbox: Sandbox;
  let redis: TestRedis;
  let cluster: Cluster | undefined;
  let rogue: RogueWorker | undefined;
  before(async () => {
    sandbox = await getSandbox();
    redis = await startRedis();
  });
  afterEach(async () => {
    await rogue?.close();
    rogue = undefined;
    await cluster?.cleanUp();
    cluster = undefined;
  });
  after(() => redis.stop());

  /** base <- app; the rogue joins the run and takes base's job before any real worker. */
  function start(name: string): { c: Cluster; evil: string } {
    cluster = new Cluster(
      sandbox,
      {
        name,
        nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
        files: MAKE_FILES,
        projects: {
          base: { targets: { build: make() } },
          app: {
            deps: ['base'],
            targets: {
              build: make(),
              parallel: parallelTarget({ parallelBackend: 'distributed', waitForWorkersSeconds: 30 }),
            },
          },
        },
      },
      redis.url,
    );
    rogue = RogueWorker.connect(redis.url);
    // Next to the workspaces, if anything ever extracted `../<evil>`.
    return { c: cluster, evil: `evil-${randomBytes(4).toString('hex')}` };
  }

  test("the coordinator refuses a task's archive with an entry outside the workspace, and writes nothing", async () => {
    const { c, evil } = start('faults-archive-coordinator');
    writeEarlierOutput(c.coordinator);
    const nx = startNx(c.coordinator, ['run', 'app:parallel'], c.env());
    const r = rogue as RogueWorker;
    await r.join();
    const taken = await r.take();
    assert.equal(taken.job.data.taskId, 'base:build');
    // A good entry first: a restore that wrote as it read would write it before it met the bad one.
    const archive = rawArchive([
      { path: 'dist/libs/base/out.txt', body: 'made by the rogue\n' },
      { path: `../${evil}`, body: 'escaped\n' },
    ]);
    await r.complete(taken, {
      outcome: { status: 'succeeded' },
      output: 'made base:build on rogue\n',
      workerId: 'rogue',
      artifact: await r.store('base:build', archive),
    });

    const run = await nx.finished;
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(
        `The outputs of base:build \\(archive [^)]+\\) were refused when checked here \\(built by agent rogue\\): Refused the outputs archive of ` +
          `base:build: entry "\\.\\./${evil}" has a '\\.\\.' segment in its path\\. Nothing was written to the workspace\\.`,
      ),
    );
    assert.match(run.output, /- base:build \(failed: artifact-failed\)/);
    assert.match(run.output, /\b0 succeeded, 1 failed, 1 skipped\b/);
    assert.ok(!fs.existsSync(path.join(c.coordinator.root, '..', evil)), 'the entry was extracted');
    assert.equal(readOutput(c.coordinator), BEFORE);
    assert.deepEqual(run.leftovers, []);
  });

  test("a worker refuses a dependency's archive with an entry outside the workspace, writes nothing, and serves on", async () => {
    const { c, evil } = start('faults-archive-worker');
    writeEarlierOutput(c.machine('w1'));
    const nx = startNx(c.coordinator, ['run', 'app:parallel'], c.env());
    const r = rogue as RogueWorker;
    const run1 = await r.join();
    const base = await r.take();
    // A job of the rogue's own for app:build, with base's outputs in a malicious archive.
    const malicious = await r.store('base:build', rawArchive([{ path: `../${evil}`, body: 'escaped\n' }]));
    await r.add('rogue-app', {
      runId: run1.runId,
      seq: 1000,
      taskId: 'app:build',
      fingerprint: run1.fingerprint,
      dependencies: [{ taskId: 'base:build', ...malicious }],
    });
    const [worker] = await c.startWorkers('w1');

    const refused = await r.resultOf('rogue-app');
    const { outcome } = refused;
    assert.ok(outcome.status === 'failed' && outcome.reason === 'artifact-failed', JSON.stringify(outcome));
    assert.deepEqual(
      { side: outcome.side, agent: outcome.agent, taskId: outcome.taskId, key: outcome.key, step: outcome.step },
      { side: 'agent', agent: 'w1', taskId: 'base:build', key: malicious.key, step: 'verify' },
    );
    assert.match(
      outcome.cause,
      new RegExp(
        `^Refused the outputs archive of base:build: ` +
          `entry "\\.\\./${evil}" has a '\\.\\.' segment in its path\\. Nothing was written to the workspace\\.`,
      ),
    );
    assert.ok(!fs.existsSync(path.join(c.machine('w1').root, '..', evil)), 'the entry was extracted');
    assert.equal(readOutput(c.machine('w1')), BEFORE);
    assert.deepEqual(readRan(c.shared), [], 'app:build ran without its dependency');

    // base's true outputs then come, and the worker restores them and runs app:build.
    await r.complete(base, {
      outcome: { status: 'succeeded' },
      output: '',
      workerId: 'rogue',
      artifact: await r.store('base:build', rawArchive([{ path: 'dist/libs/base/out.txt', body: 'built base\n' }])),
    });
    const run = await nx.finished;
    assert.equal(run.code, 0, run.output);
    assert.equal(
      fs.readFileSync(path.join(c.coordinator.root, 'dist/libs/app/out.txt'), 'utf8'),
      'built base\nbuilt app\n',
    );
    assert.deepEqual(readRan(c.shared), [{ task: 'app:build', worker: 'w1' }]);
    assert.equal(worker?.child.exitCode, null);
  });
});

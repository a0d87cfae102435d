/**
 * What arrives through Redis is checked: announcements of another shape (another nx-parallel
 * version, another tool) or not JSON at all, and a result of another shape, are skipped with one
 * warning naming their key. Agents keep serving, the coordinator keeps its run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make, readRan } from './support/distributed';
import { RogueWorker } from './support/rogue-worker';
import { runNx, startNx } from './support/run-nx';
import { parallelTarget } from './support/workspace';

describe('a versioned, checked protocol', () => {
  const bed = useClusterTestbed({ client: true });

  const makeCluster = (name: string): Cluster =>
    bed.track(
      new Cluster(
        bed.sandbox,
        {
          name,
          nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
          files: MAKE_FILES,
          projects: {
            base: { targets: { build: make() } },
            app: { deps: ['base'], targets: { build: make() } },
            runner: {
              targets: { parallel: parallelTarget({ projects: ['base', 'app'], parallelBackend: 'distributed' }) },
            },
          },
        },
        bed.redis.url,
      ),
    );

  test('announcements of another shape or not JSON are skipped, once each, by name; the good run is served', async () => {
    // Older than any run the coordinator will announce, so the agent looks at them first.
    await bed.client
      .multi()
      .zadd('nx-parallel:runs', '1', 'foreign')
      .set('nx-parallel:run:foreign', JSON.stringify({ runId: 'foreign', version: 7, tasks: ['x'] }))
      .zadd('nx-parallel:runs', '2', 'garbage')
      .set('nx-parallel:run:garbage', 'not json {')
      .zadd('nx-parallel:runs', '3', 'future')
      .set('nx-parallel:run:future', JSON.stringify({ protocol: 99, runId: 'future' }))
      .exec();
    const c = makeCluster('protocol-announcements');
    const [worker] = await c.startWorkers('w1');
    assert.ok(worker);
    await worker.waitFor(/Skipped nx-parallel:run:garbage: the announcement is not JSON\./, 10_000);

    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(
      readRan(c.shared).map((entry) => entry.task),
      ['base:build', 'app:build'],
    );
    const log = worker.log();
    assert.match(
      log,
      /Skipped nx-parallel:run:foreign: the announcement has no protocol version, this nx-parallel speaks protocol 2/,
    );
    assert.match(log, /Skipped nx-parallel:run:future: the announcement has protocol 99/);
    for (const key of ['foreign', 'garbage', 'future']) {
      assert.equal(log.split(`Skipped nx-parallel:run:${key}:`).length - 1, 1, `not one warning for ${key}:\n${log}`);
    }
    assert.equal(worker.child.exitCode, null, log);
  });

  test('a result of another shape fails its task by name; the coordinator runs on and ends', async () => {
    const c = makeCluster('protocol-result');
    const rogue = bed.trackRogue(RogueWorker.connect(bed.redis.url));
    const nx = startNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    const run1 = await rogue.join();
    const base = await rogue.take();
    await rogue.completeRaw(base, { status: 'ok', files: 3 });
    const run = await nx.finished;
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(
        `Skipped the result under bull:nx-parallel-${run1.runId}:task-\\d+: the result has no protocol version`,
      ),
    );
    assert.match(run.output, /- base:build \(failed: refused\)/);
    assert.match(run.output, /app:build skipped/);
  });
});

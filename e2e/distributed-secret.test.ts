/**
 * The shared secret: with one on both sides, announcements, jobs and results are signed and the
 * run goes through; an agent without it refuses a signed run, and what is unsigned or wrongly
 * signed (a forged announcement, a forged result) is refused and named.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROTOCOL_VERSION } from '../src/distributed/protocol/job-protocol';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make, readRan } from './support/distributed';
import { RogueWorker } from './support/rogue-worker';
import { runNx, startNx } from './support/run-nx';
import { parallelTarget } from './support/workspace';

const SECRET = 'the shared secret of this test';

describe('a shared secret', () => {
  const bed = useClusterTestbed({ client: true });

  const makeCluster = (name: string, runner: Record<string, unknown> = {}): Cluster =>
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
              targets: {
                parallel: parallelTarget({ projects: ['base', 'app'], parallelBackend: 'distributed', ...runner }),
              },
            },
          },
        },
        bed.redis.url,
      ),
    );

  test('the same secret on both sides: signed, served; a forged unsigned announcement is skipped by name', async () => {
    await bed.client
      .multi()
      .zadd('nx-parallel:runs', '1', 'forged')
      .set(
        'nx-parallel:run:forged',
        JSON.stringify({
          protocol: PROTOCOL_VERSION,
          runId: 'forged',
          queue: 'nx-parallel-forged',
          coordinator: 'attacker:1',
          fingerprint: { commit: 'c', changes: 'clean', submodules: 'none', lockFile: 'l', nx: '1', nxParallel: '1' },
          selection: { targets: ['build'], projects: ['*'], excludeProjects: [], onlySelected: false },
          graphHash: 'h',
          artifactStore: 'redis',
          lockMs: 10_000,
          taskTimeoutMs: 0,
          createdAt: 1,
          signed: false,
        }),
      )
      .exec();
    const c = makeCluster('secret-same');
    const [worker] = await c.startWorkersWith({ NX_PARALLEL_SECRET: SECRET }, 'w1');
    assert.ok(worker);
    await worker.waitFor(
      /Skipped nx-parallel:run:forged: the announcement is unsigned \(this agent has a shared secret\)/,
      10_000,
    );

    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], { ...c.env(), NX_PARALLEL_SECRET: SECRET });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(
      readRan(c.shared).map((entry) => entry.task),
      ['base:build', 'app:build'],
    );
    assert.ok(!run.output.includes(SECRET), 'the secret is printed');
  });

  test('an agent without the secret refuses a signed run and says what to set', async () => {
    const c = makeCluster('secret-missing', { waitForWorkersSeconds: 3 });
    await c.startWorkers('w1');
    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], { ...c.env(), NX_PARALLEL_SECRET: SECRET });
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /Agent w1 refused this run: the run is signed with a shared secret and this agent has none: set NX_PARALLEL_SECRET/,
    );
    assert.deepEqual(readRan(c.shared), []);
  });

  test('a forged result without the signature is refused by name; the task fails, nothing is restored', async () => {
    const c = makeCluster('secret-forged-result');
    const rogue = bed.trackRogue(RogueWorker.connect(bed.redis.url));
    const nx = startNx(c.coordinator, ['run', 'runner:parallel'], { ...c.env(), NX_PARALLEL_SECRET: SECRET });
    const run1 = await rogue.join();
    assert.equal(run1.signed, true);
    const base = await rogue.take();
    await rogue.complete(base, { outcome: { status: 'succeeded' }, output: 'forged\n', workerId: 'rogue' });
    const run = await nx.finished;
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(
        `Skipped the result under bull:nx-parallel-${run1.runId}:task-\\d+: the result is unsigned \\(this run has a shared secret\\)`,
      ),
    );
    assert.match(run.output, /app:build skipped/);
  });
});

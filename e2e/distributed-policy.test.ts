/**
 * The failure policy on the distributed backend: every ready task is a job at once, so after
 * `bail` (or `maxFailures`) the jobs no agent took are withdrawn and their tasks reported as not
 * started, while the tasks agents are running finish.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, findStarted, make, readRan } from './support/distributed';
import { runNx } from './support/run-nx';
import { parallelTarget, type ProjectSpec } from './support/workspace';

const SLOW = ['s1', 's2', 's3', 's4', 's5', 's6'];

interface SummaryTask {
  id: string;
  status: string;
  reason: string | null;
}

describe('the failure policy of a distributed run', () => {
  const bed = useClusterTestbed();

  for (const policy of [{ bail: true }, { maxFailures: 1 }]) {
    test(`${JSON.stringify(policy)}: queued jobs are withdrawn and reported as not started; running ones finish`, async () => {
      const projects: Record<string, ProjectSpec> = {
        bad: { targets: { build: make({ fail: true }) } },
        runner: {
          targets: {
            parallel: parallelTarget({
              projects: ['bad', ...SLOW],
              parallelBackend: 'distributed',
              summaryFile: 'dist/summary.json',
              ...policy,
            }),
          },
        },
      };
      for (const name of SLOW) projects[name] = { targets: { build: make({ sleepMs: 1500 }) } };
      const cluster = bed.track(
        new Cluster(
          bed.sandbox,
          { name: 'policy', nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS }, files: MAKE_FILES, projects },
          bed.redis.url,
        ),
      );
      await cluster.startWorkers('w1', 'w2');

      const run = await runNx(cluster.coordinator, ['run', 'runner:parallel'], cluster.env());
      assert.equal(run.code, 1, run.output);
      const summary = JSON.parse(cluster.read('dist/summary.json')) as { tasks: SummaryTask[] };
      const byId = new Map(summary.tasks.map((task) => [task.id, task]));
      assert.equal(byId.get('bad:build')?.status, 'failed');
      const shared = cluster.shared;
      const started = SLOW.filter((name) =>
        ['w1', 'w2'].some((worker) => findStarted(shared, `${name}:build`, worker) !== undefined),
      );
      const ran = new Set(readRan(cluster.shared).map((entry) => entry.task));
      for (const name of SLOW) {
        const task = byId.get(`${name}:build`);
        if (started.includes(name)) {
          // Taken by an agent before the failure: it runs to its end, and its result counts.
          assert.ok(ran.has(`${name}:build`), `${name} started but did not finish`);
          assert.equal(task?.status, 'succeeded', JSON.stringify(task));
        } else {
          assert.deepEqual([task?.status, task?.reason], ['skipped', 'run-stopped'], JSON.stringify(task));
        }
      }
      // Two agents of concurrency 1: at most one slow task beside the failing one, and one more
      // that an agent may take in the moment before the failure is known.
      assert.ok(started.length <= 3, `${started.length} slow tasks started: ${started.join(', ')}`);
      assert.ok(SLOW.length - started.length >= 3);
      assert.match(run.output, /run-stopped|not started|stopped/i);
    });
  }
});

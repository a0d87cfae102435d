/**
 * The coordinator's own deadline: an agent that takes a job and holds it without ever answering
 * (its lock kept, so BullMQ never takes the job back) does not keep the run waiting. With a
 * taskTimeout, past it plus the margin the task fails as timed-out and its job is withdrawn; the
 * rest of the run is served by a real agent, and the run ends.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make, readRan } from './support/distributed';
import { RogueWorker } from './support/rogue-worker';
import { startNx } from './support/run-nx';
import { parallelTarget } from './support/workspace';

interface SummaryTask {
  id: string;
  status: string;
  reason: string | null;
  message: string | null;
  workerId: string | null;
}

/** Long enough for a real agent's worker to boot and run a small task on a loaded machine. */
const TASK_TIMEOUT_SECONDS = 5;

describe("the coordinator's deadline", () => {
  const bed = useClusterTestbed();

  test('a task an agent holds past taskTimeout plus the margin fails as timed-out, its job is withdrawn, and the run ends', async () => {
    const cluster = bed.track(
      new Cluster(
        bed.sandbox,
        {
          name: 'deadline',
          nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
          files: MAKE_FILES,
          projects: {
            one: { targets: { build: make() } },
            two: { targets: { build: make() } },
            runner: {
              targets: {
                parallel: parallelTarget({
                  projects: ['one', 'two'],
                  parallelBackend: 'distributed',
                  taskTimeout: TASK_TIMEOUT_SECONDS,
                  summaryFile: 'dist/summary.json',
                }),
              },
            },
          },
        },
        bed.redis.url,
      ),
    );
    const nx = startNx(cluster.coordinator, ['run', 'runner:parallel'], cluster.env());
    const rogue = bed.trackRogue(RogueWorker.connect(bed.redis.url));
    await rogue.join('holder');
    const held = await rogue.take();
    const heldTask = held.job.data.taskId;
    // A real agent serves the rest of the run; the held job is not its to take.
    await cluster.startWorkers('w1');

    const run = await nx.finished;
    assert.equal(run.code, 1, run.output);
    const summary = JSON.parse(cluster.read('dist/summary.json')) as { tasks: SummaryTask[] };
    const byId = new Map(summary.tasks.map((task) => [task.id, task]));
    const timedOut = byId.get(heldTask);
    assert.deepEqual([timedOut?.status, timedOut?.reason], ['failed', 'timed-out'], JSON.stringify(timedOut));
    assert.match(
      timedOut?.message ?? '',
      new RegExp(`held the task longer than taskTimeout \\(${TASK_TIMEOUT_SECONDS}s\\) plus \\d+s without a result`),
    );
    const other = heldTask === 'one:build' ? 'two:build' : 'one:build';
    assert.equal(byId.get(other)?.status, 'succeeded', JSON.stringify(byId.get(other)));
    assert.deepEqual(
      readRan(cluster.shared).map((entry) => entry.task),
      [other],
      'the held task ran nowhere',
    );
    // Withdrawn: the holder's late answer is taken by no one.
    await assert.rejects(rogue.complete(held, { outcome: { status: 'succeeded' }, output: '', workerId: 'holder' }));
  });
});

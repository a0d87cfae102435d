/**
 * An agent's warm worker processes: kept from one run to the next of the same workspace, counted
 * for maxTasksPerWorker across runs, ended when the workspace changes, after keepWarmMs without a
 * run, and when the agent quits. Each task writes the pid of the process it ran in.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import {
  MAKE_FILES,
  MAKE_TARGET_DEFAULTS,
  TEST_AGENT_TIMING,
  commitWorkspace,
  findStarted,
  isAlive,
  make,
  pullWorkspace,
  type WorkerProcess,
} from './support/distributed';
import { runNx } from './support/run-nx';
import { waitFor } from './support/run-processes';
import { parallelTarget } from './support/workspace';

const TASKS = ['lib:build', 'app:build'];

describe('warm worker processes of an agent', () => {
  const bed = useClusterTestbed();

  const makeCluster = (runner: Record<string, unknown> = {}): Cluster =>
    bed.track(
      new Cluster(
        bed.sandbox,
        {
          name: 'warm',
          nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
          files: MAKE_FILES,
          projects: {
            // sleepMs: each task writes the pid it runs in.
            lib: { targets: { build: make({ sleepMs: 1 }) } },
            app: { deps: ['lib'], targets: { build: make({ sleepMs: 1 }) } },
            runner: {
              targets: {
                parallel: parallelTarget({
                  projects: ['lib', 'app'],
                  parallelBackend: 'distributed',
                  waitForWorkersSeconds: 30,
                  ...runner,
                }),
              },
            },
          },
        },
        bed.redis.url,
      ),
    );

  /** Runs the graph; the pid each task ran in on the agent, in TASKS's order. */
  async function runGraph(c: Cluster, agent: WorkerProcess): Promise<number[]> {
    const run = await runNx(c.coordinator, ['run', 'runner:parallel'], c.env());
    assert.equal(run.code, 0, `${run.output}\n${agent.log()}`);
    return TASKS.map((task) => {
      const started = findStarted(c.shared, task, agent.name);
      assert.ok(started, `${task} ran on ${agent.name}`);
      fs.rmSync(path.join(c.shared, `${task.replace(':', '_')}@${agent.name}.started`));
      return started.pid;
    });
  }

  test('the same workspace twice: the same process; a changed workspace: a new one; none left after quit', async () => {
    const c = makeCluster();
    const [agent] = await c.startWorkers('w1');
    assert.ok(agent);
    const [first] = await runGraph(c, agent);
    assert.ok(first !== undefined);
    assert.deepEqual(await runGraph(c, agent), [first, first]);

    fs.writeFileSync(path.join(c.coordinator.root, 'libs/lib/notes.txt'), 'changed\n');
    commitWorkspace(c.coordinator.root, 'change lib');
    pullWorkspace(c.machine('w1'), c.coordinator);
    const [changed] = await runGraph(c, agent);
    assert.ok(changed !== undefined && changed !== first, `the changed workspace ran in ${changed} again`);
    assert.ok(!isAlive(first), 'the process of the old workspace is left');
    assert.match(agent.log(), /Ends the warm worker processes: this run is of another workspace/);

    assert.equal(await agent.stop('SIGTERM'), 0, agent.log());
    assert.ok(!isAlive(changed), 'the warm process outlived its agent');
    await waitFor('nothing of the agent to be left', () => agent.processes().length === 0, 5000);
  });

  test('maxTasksPerWorker counts the tasks of every run a process served', async () => {
    const c = makeCluster({ maxTasksPerWorker: 3 });
    const [agent] = await c.startWorkers('w1');
    assert.ok(agent);
    const [first] = await runGraph(c, agent);
    const [third, fourth] = await runGraph(c, agent);
    assert.equal(third, first, 'the third task runs on the warm process');
    assert.ok(fourth !== first, 'the fourth task runs on the process that replaced it');
  });

  test('warm processes end after keepWarmMs without a run, and the agent serves on', async () => {
    const c = makeCluster();
    const timing = JSON.stringify({ ...TEST_AGENT_TIMING, keepWarmMs: 200 });
    const [agent] = await c.startWorkersWith({ NX_PARALLEL_AGENT_TIMING: timing }, 'w1');
    assert.ok(agent);
    const [first] = await runGraph(c, agent);
    assert.ok(first !== undefined);
    await agent.waitFor(/Ended the warm worker processes: no run for 0\.2s/);
    await waitFor('the warm process to end', () => !isAlive(first), 5000);
    const [next] = await runGraph(c, agent);
    assert.ok(next !== undefined && next !== first);
  });
});

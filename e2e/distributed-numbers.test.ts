/**
 * Honest numbers from a distributed run: a task's duration runs from when an agent started it,
 * its wait in the queue is reported on its own (terminal summary, summaryFile, trace), the history
 * gets run times only, and `workers` is the agents' concurrency, not one per task.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { HISTORY_PATH } from '../src/state/history';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make } from './support/distributed';
import { runNx } from './support/run-nx';
import { REPO_ROOT } from './support/sandbox';
import { parallelTarget, type ProjectSpec } from './support/workspace';

const SUMMARY_SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'summary.schema.json'), 'utf8')) as object;
const SLEEP_MS = 1500;
const TASKS = ['a', 'b', 'c'];

interface Summary {
  run: { workers: number; durationMs: number };
  tasks: { id: string; durationMs: number; queuedMs: number }[];
}

interface Trace {
  traceEvents: { name: string; cat?: string; dur?: number }[];
}

describe('the numbers of a distributed run', () => {
  const bed = useClusterTestbed();

  test('one agent of concurrency 1, three tasks: durations without the queue, the queue on its own, workers 1', async () => {
    const projects: Record<string, ProjectSpec> = {
      runner: {
        targets: {
          parallel: parallelTarget({
            projects: TASKS,
            parallelBackend: 'distributed',
            summaryFile: 'dist/summary.json',
            profileFile: 'dist/trace.json',
          }),
        },
      },
    };
    for (const name of TASKS) projects[name] = { targets: { build: make({ sleepMs: SLEEP_MS }) } };
    const cluster = bed.track(
      new Cluster(
        bed.sandbox,
        { name: 'numbers', nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS }, files: MAKE_FILES, projects },
        bed.redis.url,
      ),
    );
    await cluster.startWorkers('w1');

    const run = await runNx(cluster.coordinator, ['run', 'runner:parallel'], cluster.env());
    assert.equal(run.code, 0, run.output);
    const summary = JSON.parse(cluster.read('dist/summary.json')) as Summary;
    const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(SUMMARY_SCHEMA);
    assert.ok(validate(summary), JSON.stringify(validate.errors));
    assert.equal(summary.run.workers, 1);
    // In the order the agent took them: the first may include the start of the agent's worker.
    const [first, ...later] = [...summary.tasks].sort((x, y) => x.queuedMs - y.queuedMs);
    assert.ok((first?.durationMs ?? 0) >= SLEEP_MS, JSON.stringify(first));
    for (const task of later) {
      assert.ok(task.durationMs >= SLEEP_MS, `${task.id}: ${task.durationMs} ms`);
      // Its run, never the turn of the task before it.
      assert.ok(task.durationMs < 2 * SLEEP_MS, `${task.id}: ${task.durationMs} ms, its wait in the queue counted`);
    }
    const queued = summary.tasks.map((task) => task.queuedMs).sort((x, y) => x - y);
    // One slot: the second task waited about one task, the third about two.
    assert.ok((queued[1] ?? 0) >= SLEEP_MS * 0.8 && (queued[2] ?? 0) >= SLEEP_MS * 1.6, JSON.stringify(queued));
    assert.match(run.output, /time queued \d/);
    const speedUp = Number(/speed-up (\d+\.\d)x/.exec(run.output)?.[1]);
    assert.ok(speedUp <= 1.1, `speed-up ${speedUp}x on one slot`);

    const trace = JSON.parse(cluster.read('dist/trace.json')) as Trace;
    const queuedSlices = trace.traceEvents.filter((event) => event.cat === 'queued');
    assert.ok(queuedSlices.length >= 2, JSON.stringify(trace.traceEvents));

    // The history that ranks later runs holds run times, not waits.
    const history = JSON.parse(cluster.read(HISTORY_PATH)) as { tasks: Record<string, { ms: number }> };
    for (const task of later) {
      const ms = history.tasks[task.id]?.ms ?? 0;
      assert.equal(ms, task.durationMs, `history: ${task.id} ${ms} ms`);
    }
  });
});

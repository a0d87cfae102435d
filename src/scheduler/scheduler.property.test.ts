/**
 * Properties of the scheduler that must hold on any graph: random DAGs of up to 200 tasks, random
 * failures, worker crashes and hangs (which a real pool ends with `timed-out`), 1 to 8 workers,
 * with and without `maxFailures` and `retries`. Tasks complete in an order fast-check picks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DependencyGraph } from '../graph/task-graph';
import type { PoolRunResult, WorkerPool } from '../pool/worker-pool';
import type { TaskOutcome, TaskRequest } from '../worker/protocol';
import { runScheduler } from './scheduler';

type Behaviour = 'succeed' | 'fail' | 'crash-once' | 'crash-always' | 'hang';

const OUTCOMES: Record<Exclude<Behaviour, 'crash-once'>, TaskOutcome> = {
  succeed: { status: 'succeeded' },
  fail: { status: 'failed', reason: 'executor-failed' },
  'crash-always': { status: 'failed', reason: 'worker-crashed', message: 'killed' },
  hang: { status: 'failed', reason: 'timed-out', message: 'timed out' },
};

const scenario = fc.integer({ min: 1, max: 200 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2 }),
    behaviours: fc.array(
      fc.constantFrom<Behaviour>('succeed', 'succeed', 'succeed', 'fail', 'crash-once', 'crash-always', 'hang'),
      { minLength: n, maxLength: n },
    ),
    workers: fc.integer({ min: 1, max: 8 }),
    maxFailures: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    retries: fc.integer({ min: 0, max: 2 }),
    order: fc.infiniteStream(fc.nat()),
  }),
);

function buildGraph(n: number, edges: readonly [number, number][]): DependencyGraph {
  const ids = Array.from({ length: n }, (_, i) => `t${i}:build`);
  const dependencies: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  // Edges always point from a later task to an earlier one, so the graph is acyclic.
  for (const [a, b] of edges)
    if (a !== b) dependencies[ids[Math.max(a, b)] as string]?.push(ids[Math.min(a, b)] as string);
  for (const id of ids) dependencies[id] = [...new Set(dependencies[id])];
  return { ids, dependencies };
}

function transitiveDependencies(graph: DependencyGraph, id: string, seen = new Set<string>()): Set<string> {
  for (const dependency of graph.dependencies[id] ?? []) {
    if (!seen.has(dependency)) {
      seen.add(dependency);
      transitiveDependencies(graph, dependency, seen);
    }
  }
  return seen;
}

test('scheduler invariants hold on random graphs, faults and completion orders', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ n, edges, behaviours, workers, maxFailures, retries, order }) => {
      const graph = buildGraph(n, edges);
      const behaviour = new Map(graph.ids.map((id, i) => [id, behaviours[i] as Behaviour]));
      const finished = new Map<string, TaskOutcome>();
      const attempts = new Map<string, number>();
      const inFlight: Array<{ request: TaskRequest; settle: (result: PoolRunResult) => void }> = [];
      let maxInFlight = 0;
      const early: string[] = [];
      const pool: WorkerPool = {
        size: workers,
        run(request) {
          for (const dependency of graph.dependencies[request.taskId] ?? []) {
            assert.equal(
              finished.get(dependency)?.status,
              'succeeded',
              `${request.taskId} started before ${dependency} succeeded`,
            );
          }
          attempts.set(request.taskId, (attempts.get(request.taskId) ?? 0) + 1);
          return new Promise((settle) => {
            inFlight.push({ request, settle });
            maxInFlight = Math.max(maxInFlight, inFlight.length);
          });
        },
        initialize: () => undefined,
        close: () => Promise.resolve(),
      };
      let ended = false;
      const run = runScheduler({ graph, pool, priority: () => 0, emit: () => undefined, maxFailures, retries }).finally(
        () => (ended = true),
      );
      const picks = order[Symbol.iterator]();
      for (let step = 0; !ended; step++) {
        assert.ok(step < n * 10 + 100, 'the run did not end');
        await new Promise((resolve) => setImmediate(resolve));
        if (!inFlight.length) continue;
        const [next] = inFlight.splice((picks.next().value as number) % inFlight.length, 1);
        if (!next) continue;
        const id = next.request.taskId;
        const kind = behaviour.get(id) as Behaviour;
        const outcome =
          kind === 'crash-once'
            ? attempts.get(id) === 1
              ? OUTCOMES['crash-always']
              : OUTCOMES.succeed
            : OUTCOMES[kind];
        finished.set(id, outcome);
        next.settle({ outcome, workerId: 'fake' });
      }
      const records = await run;

      assert.deepEqual(early, [], 'tasks started before all their dependencies succeeded');
      assert.equal(records.size, n, 'every task gets exactly one result');
      assert.ok(maxInFlight <= workers, `${maxInFlight} tasks ran at once on ${workers} workers`);
      for (const id of graph.ids) {
        const record = records.get(id);
        assert.ok(record);
        const started = attempts.get(id) ?? 0;
        assert.ok(started <= retries + 1, `${id} started ${started} times with retries ${retries}`);
        const failedDependency = [...transitiveDependencies(graph, id)].some(
          (dependency) => records.get(dependency)?.result.status === 'failed',
        );
        if (failedDependency) assert.equal(record.result.status, 'skipped', `${id} ran although a dependency failed`);
        if (
          maxFailures === undefined &&
          ![...transitiveDependencies(graph, id)].some((d) => records.get(d)?.result.status !== 'succeeded')
        ) {
          assert.notEqual(record.result.status, 'skipped', `${id} was skipped although its dependencies succeeded`);
        }
        if (record.result.status === 'skipped') assert.equal(started, 0, `${id} was skipped after it started`);
      }
    }),
    { numRuns: 150 },
  );
});

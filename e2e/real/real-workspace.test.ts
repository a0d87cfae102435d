/**
 * nx-parallel against `nx run-many` in a real Nx workspace (e2e/real/workspace: tsc, swc, jest,
 * eslint, vite, vitest, esbuild, webpack, rollup and run-commands targets), for each Nx major in
 * NX_PARALLEL_REAL_MAJORS (default 22,23,24) and each local backend:
 *
 * - every task succeeds or fails as under run-many, the same are skipped, clean and with planted
 *   failures;
 * - dist/ and coverage/ hold the same bytes (the workspace's own path aside), the specs report the
 *   same test counts (each spec also checks that it runs with its own task's environment);
 * - the cache works both ways: run-many after nx-parallel, and nx-parallel after run-many, take
 *   every task from the cache;
 * - no process of a run is left.
 *
 * Runs per major: run-many uncached once as the reference; nx-parallel uncached once per backend,
 * each in a fresh workspace that the cache checks then reuse; the planted failures once per runner.
 *
 * Needs a built plugin (`npm run build`); the package sets are installed once per machine.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { plantFailures } from './plant-failures';
import {
  cleanOutputs,
  describeFailures,
  hashOutputs,
  idsWith,
  plannedTasks,
  runMany,
  runParallel,
  statuses,
  testCountsOf,
  type Backend,
  type RunResult,
} from './support/compare';
import { getInstalledFixture, majorsToTest, type RealWorkspace } from './support/installed-fixture';
import { useRealWorkspaces } from './support/real-workspaces';

const majors = majorsToTest();
const BACKENDS: readonly Backend[] = ['processes', 'threads'];
/** The tasks with specs: each reports three tests. */
const SPEC_TASKS = ['models:test', 'util:test', 'vlib:test'];

const workspace = useRealWorkspaces();

function assertNoLeftovers(run: RunResult): void {
  assert.deepEqual(run.leftovers, [], `${run.runner} left processes behind`);
}

function assertSameResults(run: RunResult, reference: RunResult): void {
  assert.deepEqual(
    statuses(run),
    statuses(reference),
    `${run.runner} vs ${reference.runner}:\n${describeFailures(run)}`,
  );
  assert.deepEqual(idsWith(run, 'failed'), idsWith(reference, 'failed'));
  assert.deepEqual(idsWith(run, 'skipped'), idsWith(reference, 'skipped'));
}

function assertAllCached(run: RunResult, tasks: string[]): void {
  const notCached = tasks.filter((id) => !run.tasks[id]?.cached);
  assert.deepEqual(notCached, [], `${run.runner}: tasks not taken from the cache\n${describeFailures(run)}`);
}

for (const major of majors) {
  describe(`Nx ${major}`, { concurrency: false }, () => {
    let reference: RunResult;
    let referenceWorkspace: RealWorkspace;
    let referenceOutputs: Record<string, string>;
    let planned: string[] = [];
    const parallelWorkspaces = new Map<Backend, RealWorkspace>();

    before(async () => {
      await getInstalledFixture(major);
      referenceWorkspace = await workspace(major, 'run-many');
      planned = await plannedTasks(referenceWorkspace);
      reference = await runMany(referenceWorkspace, planned);
      referenceOutputs = hashOutputs(referenceWorkspace.root);
      console.log(
        `Nx ${major}: nx run-many -t build test lint --parallel=2 (uncached) took ${reference.durationMs} ms`,
      );
    });

    test('the reference run-many succeeds for every task, with the specs reporting their tests', () => {
      assert.equal(planned.length, 16, `planned tasks: ${planned.join(', ')}`);
      assert.equal(reference.code, 0, reference.output.slice(-4000));
      assert.deepEqual(idsWith(reference, 'succeeded'), planned, reference.output.slice(-4000));
      assert.deepEqual(
        testCountsOf(reference),
        Object.fromEntries(SPEC_TASKS.map((id) => [id, { passed: 3, failed: 0, total: 3 }])),
      );
      assert.ok(Object.keys(referenceOutputs).length > 20, `outputs: ${Object.keys(referenceOutputs).join(', ')}`);
      assertNoLeftovers(reference);
    });

    for (const backend of BACKENDS) {
      test(`${backend}: the same results, outputs and test counts as run-many, uncached, and no process left`, async () => {
        const ws = await workspace(major, backend);
        parallelWorkspaces.set(backend, ws);
        const run = await runParallel(ws, backend);
        assert.ok(run.summary, `no summary file:\n${run.output.slice(-4000)}`);
        assert.deepEqual(Object.keys(run.tasks).sort(), planned, 'the same tasks as run-many');
        assertSameResults(run, reference);
        assert.equal(run.code, 0, describeFailures(run));
        assert.equal(run.summary.run.counts['cached'], 0, 'a fresh workspace has nothing cached');
        const prefix = backend === 'processes' ? 'process-' : 'thread-';
        const elsewhere = run.summary.tasks.filter((task) => !task.workerId?.startsWith(prefix));
        assert.deepEqual(
          elsewhere.map((task) => `${task.id} on ${task.workerId}`),
          [],
          `every task ran on a ${backend} worker`,
        );
        assert.deepEqual(testCountsOf(run), testCountsOf(reference));
        assert.deepEqual(hashOutputs(ws.root), referenceOutputs);
        assertNoLeftovers(run);
      });

      test(`${backend}: run-many after nx-parallel takes every task from the cache`, async () => {
        const ws = parallelWorkspaces.get(backend);
        assert.ok(ws, 'the nx-parallel run did not make its workspace');
        cleanOutputs(ws.root);
        const run = await runMany(ws, planned);
        assert.equal(run.code, 0, run.output.slice(-4000));
        assertSameResults(run, reference);
        assertAllCached(run, planned);
        // Nx replays the terminal output nx-parallel stored with each entry.
        assert.deepEqual(testCountsOf(run), testCountsOf(reference));
        assert.deepEqual(hashOutputs(ws.root), referenceOutputs, 'outputs restored from the cache');
        assertNoLeftovers(run);
      });

      test(`${backend}: nx-parallel after run-many takes every task from the cache`, async () => {
        cleanOutputs(referenceWorkspace.root);
        const run = await runParallel(referenceWorkspace, backend);
        assert.ok(run.summary, `no summary file:\n${run.output.slice(-4000)}`);
        assert.equal(run.code, 0, describeFailures(run));
        assertSameResults(run, reference);
        assertAllCached(run, planned);
        assert.equal(run.summary.run.counts['cached'], planned.length);
        assert.deepEqual(hashOutputs(referenceWorkspace.root), referenceOutputs, 'outputs restored from the cache');
        assertNoLeftovers(run);
      });
    }

    test('planted failures: the same tasks fail and the same are skipped under every runner, uncached', async () => {
      const ws = await workspace(major, 'planted');
      const expected = plantFailures(ws.root);
      const manyRun = await runMany(ws, planned, ['--skip-nx-cache']);
      assert.notEqual(manyRun.code, 0);
      assert.deepEqual(idsWith(manyRun, 'failed'), expected.failed, manyRun.output.slice(-4000));
      assert.deepEqual(idsWith(manyRun, 'skipped'), expected.skipped, manyRun.output.slice(-4000));
      assert.deepEqual(testCountsOf(manyRun)['util:test'], { passed: 2, failed: 1, total: 3 });
      assertNoLeftovers(manyRun);
      const manyOutputs = hashOutputs(ws.root);

      const problems: string[] = [];
      for (const backend of BACKENDS) {
        cleanOutputs(ws.root);
        const run = await runParallel(ws, backend, ['--skip-nx-cache']);
        const check = (what: string, fn: () => void): void => {
          try {
            fn();
          } catch (error) {
            problems.push(`${backend}: ${what}: ${(error as Error).message}`);
          }
        };
        check('summary', () => assert.ok(run.summary, run.output.slice(-4000)));
        check('exit code', () => assert.notEqual(run.code, 0));
        check('results', () => assertSameResults(run, manyRun));
        check('test counts', () => assert.deepEqual(testCountsOf(run), testCountsOf(manyRun)));
        check('outputs', () => assert.deepEqual(hashOutputs(ws.root), manyOutputs));
        check('leftovers', () => assertNoLeftovers(run));
      }
      assert.deepEqual(problems, []);
    });
  });
}

/**
 * A diamond graph (a <- b, c <- app) on every backend: each task once, dependencies first, never
 * more tasks at once than workers, warm workers reused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getSandbox, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';
import { runNx, type NxRun } from './support/run-nx';
import { maxConcurrency, overlap, recordOf, taskIds } from './support/records';

const BACKENDS = ['processes', 'threads', 'inline'] as const;
type Backend = (typeof BACKENDS)[number];
const N_WORKERS = 2;
const EDGES: [string, string][] = [
  ['a:build', 'b:build'],
  ['a:build', 'c:build'],
  ['b:build', 'app:build'],
  ['c:build', 'app:build'],
];

function diamond(sandbox: Sandbox, backend: Backend): Workspace {
  // b and c wait for each other: they can only both succeed if they run at the same time.
  const middle = backend === 'inline' ? { ms: 200 } : { ms: 200, barrier: ['b:build', 'c:build'] };
  return makeWorkspace(sandbox, {
    name: `diamond-${backend}`,
    projects: {
      a: {},
      b: { deps: ['a'], targets: { build: { options: middle } } },
      c: { deps: ['a'], targets: { build: { options: middle } } },
      app: {
        deps: ['b', 'c'],
        targets: { build: {}, parallel: parallelTarget({ nWorkers: N_WORKERS, parallelBackend: backend }) },
      },
    },
  });
}

describe('a diamond graph', () => {
  let sandbox: Sandbox;
  const workspaces: Workspace[] = [];
  before(async () => {
    sandbox = await getSandbox();
  });
  after(() => workspaces.forEach(removeWorkspace));

  for (const backend of BACKENDS) {
    describe(`on ${backend}`, () => {
      let run: NxRun;
      before(async () => {
        const workspace = diamond(sandbox, backend);
        workspaces.push(workspace);
        run = await runNx(workspace, ['run', 'app:parallel']);
      });

      test('succeeds and reports 4 succeeded tasks', () => {
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /\b4 succeeded\b/);
        assert.match(run.output, /\b0 failed\b/);
      });

      test('runs each task exactly once', () => {
        assert.deepEqual(taskIds(run.records), ['a:build', 'app:build', 'b:build', 'c:build']);
      });

      test('ends a dependency before its dependent starts', () => {
        for (const [dependency, dependent] of EDGES) {
          const before = recordOf(run.records, dependency);
          const after = recordOf(run.records, dependent);
          assert.ok(
            before.end <= after.start,
            `${dependency} ended at ${before.end}, ${dependent} started at ${after.start}`,
          );
        }
      });

      test('never runs more tasks at once than workers', () => {
        assert.ok(maxConcurrency(run.records) <= (backend === 'inline' ? 1 : N_WORKERS));
      });

      test('leaves no process behind', () => {
        assert.deepEqual(run.leftovers, []);
      });

      if (backend === 'processes') {
        test('runs b and c at the same time in at most 2 reused child processes', () => {
          assert.ok(overlap(recordOf(run.records, 'b:build'), recordOf(run.records, 'c:build')));
          const pids = new Set(run.records.map((record) => record.pid));
          assert.ok(pids.size <= N_WORKERS, `pids: ${[...pids].join(', ')}`);
          const parents = new Set(run.records.map((record) => record.ppid));
          assert.equal(parents.size, 1, 'all workers are children of one main process');
          for (const record of run.records) assert.ok(!parents.has(record.pid), 'a task ran in the main process');
        });
      }

      if (backend === 'threads') {
        test('runs b and c at the same time in worker threads of one process', () => {
          assert.ok(overlap(recordOf(run.records, 'b:build'), recordOf(run.records, 'c:build')));
          assert.equal(new Set(run.records.map((record) => record.pid)).size, 1);
          assert.ok(run.records.every((record) => !record.isMainThread && record.threadId > 0));
          assert.ok(new Set(run.records.map((record) => record.threadId)).size <= N_WORKERS);
        });
      }

      if (backend === 'inline') {
        test('runs every task in the main thread of one process, one at a time', () => {
          assert.equal(new Set(run.records.map((record) => record.pid)).size, 1);
          assert.ok(run.records.every((record) => record.isMainThread));
          assert.equal(maxConcurrency(run.records), 1);
        });
      }
    });
  }
});

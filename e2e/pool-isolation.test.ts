/**
 * What a warm worker carries from one task to the next, on the built `processes`, `threads` and
 * `inline` pools: an executor's result is taken as Nx takes it, the process state a task leaves
 * behind is put back before the next task, and a worker past its memory limit is replaced.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Backend } from '../src/executor/backends/backend-definition';
import { FakeWorkspace, PoolHarness, type PoolLimits, type TaskSpec, within } from './support/pool-fixture';

type LocalBackend = Exclude<Backend, 'distributed'>;
const BACKENDS: readonly LocalBackend[] = ['processes', 'threads', 'inline'];
const RESULT_BOUND_MS = 20_000;

for (const backend of BACKENDS) {
  // The main process (inline) keeps its own listeners and console: only a worker's are put back.
  const ownsProcess = backend !== 'inline';

  void describe(`${backend} backend: isolation between tasks`, () => {
    const harness = new PoolHarness(backend);
    let workspace: FakeWorkspace;
    let tasks = 0;
    const target = (name: string): string => `${name}-${++tasks}`;
    const runInOrder = async (specs: TaskSpec[], limits: PoolLimits = {}) => {
      const byId = Object.fromEntries(specs.map((spec) => [`${spec.project}:${spec.target}`, spec]));
      const pool = harness.create(workspace, 1, byId, limits);
      const runs = await within(harness.runAll(pool, Object.keys(byId)), RESULT_BOUND_MS, 'no result' as const);
      assert.ok(runs !== 'no result', 'every task got a result');
      return runs;
    };

    before(() => {
      workspace = new FakeWorkspace();
    });
    afterEach(() => harness.closeAll());
    after(async () => {
      await harness.closeAll();
      workspace.remove();
    });

    void it("takes a generator's return value as its result when it yields nothing", async () => {
      const [passes, fails] = await runInOrder([
        { project: 'app', target: target('returns-ok'), options: { returnOnly: true } },
        { project: 'app', target: target('returns-no'), options: { returnOnly: true, end: 'fail' } },
      ]);
      assert.deepEqual(passes?.result.outcome, { status: 'succeeded' });
      assert.deepEqual(fails?.result.outcome, { status: 'failed', reason: 'executor-failed' });
    });

    void it('puts back the exit code, argv, umask, listeners and console a task left behind', async () => {
      const [clean, leaver, next] = [target('clean'), target('leaver'), target('next')];
      const runs = await runInOrder([
        { project: 'app', target: clean, options: { record: workspace.file(`${clean}.json`) } },
        { project: 'app', target: leaver, options: { leave: { listeners: ownsProcess } } },
        { project: 'app', target: next, options: { record: workspace.file(`${next}.json`) } },
      ]);
      for (const run of runs) assert.deepEqual(run.result.outcome, { status: 'succeeded' }, run.taskId);
      const before = workspace.recording(`${clean}.json`);
      const afterwards = workspace.recording(`${next}.json`);
      assert.deepEqual(afterwards.state, before.state);
      assert.equal(afterwards.pid, before.pid, 'the state was put back, not the worker replaced');
      assert.equal(afterwards.threadId, before.threadId, 'the state was put back, not the worker replaced');
    });

    void it('lets a task change to the folder it is in already (as @nx/eslint:lint does)', async () => {
      const [run] = await runInOrder([
        { project: 'app', target: target('same-folder'), options: { chdir: process.cwd() } },
      ]);
      assert.deepEqual(run?.result.outcome, { status: 'succeeded' });
    });

    if (ownsProcess) {
      void it('replaces a worker whose memory passed workerMemoryLimit before its next task', async () => {
        const names = [target('heavy'), target('heavy'), target('heavy')];
        const runs = await runInOrder(
          names.map((name) => ({ project: 'app', target: name, options: { record: workspace.file(`${name}.json`) } })),
          { memoryLimitBytes: 1 },
        );
        for (const run of runs) assert.deepEqual(run.result.outcome, { status: 'succeeded' }, run.taskId);
        const workers = names.map((name) => {
          const recording = workspace.recording(`${name}.json`);
          return backend === 'processes' ? recording.pid : recording.threadId;
        });
        assert.equal(new Set(workers).size, names.length, `ran on ${workers.join(', ')}`);
      });
    }
  });
}

/**
 * The backend contract: the same suite against the built `processes`, `threads` and `inline`
 * pools, with real child processes and worker threads running a fake executor in a workspace on disk.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Backend } from '../src/executor/backends/backend-definition';
import type { WorkerPool } from '../src/pool/worker-pool';
import { failureText } from '../src/report/failure-text';
import {
  FakeWorkspace,
  linesWith,
  numbered,
  PoolHarness,
  type PoolLimits,
  type Sleepers,
  type TaskRecording,
  type TaskRun,
  type TaskSpec,
  waitForFiles,
  within,
} from './support/pool-fixture';
import { isGone, PidFiles, readPids, waitUntilGone } from './support/pool-fixture-pids';

/** The distributed backend has its own suite (e2e/distributed-*.test.ts): it needs Redis and workers. */
type LocalBackend = Exclude<Backend, 'distributed'>;
const BACKENDS: readonly LocalBackend[] = ['processes', 'threads', 'inline'];
/** Bound on waiting for a result that must come; reaching it fails the test instead of hanging it. */
const RESULT_BOUND_MS = 20_000;
/** Bound on waiting for a killed process to be gone. */
const GONE_BOUND_MS = 5_000;
/**
 * The task timeout of the timeout cases: well above a fresh worker's start and a quick task, so
 * only the hanging tasks reach it.
 */
const TIMEOUT_MS = 2_500;

const EXPECTED_REASON = {
  succeed: 'succeeded',
  fail: 'executor-failed',
  throw: 'threw',
  exit: 'worker-crashed',
} as const;

/** Which worker a recording came from, as each backend defines a worker. */
function workerOf(backend: LocalBackend, recording: TaskRecording): string {
  switch (backend) {
    case 'processes':
      return `process-${recording.pid}`;
    case 'threads':
      return `thread-${recording.threadId}`;
    case 'inline':
      return 'main';
    default: {
      const never: never = backend;
      return never;
    }
  }
}

function assertOwnLinesOnly(run: TaskRun, tag: string, others: readonly string[]): void {
  for (const other of others) {
    assert.deepEqual(linesWith(run.output, `${other} `), [], `${run.taskId} got output of ${other}`);
  }
  assert.ok(linesWith(run.output, `${tag} `).length > 0, `${run.taskId} got none of its own output`);
}

for (const backend of BACKENDS) {
  const concurrent = backend !== 'inline';
  const sleeperKinds: Sleepers['kinds'] = ['attached', 'detached', 'exec'];

  void describe(`${backend} backend`, () => {
    const harness = new PoolHarness(backend);
    let workspace: FakeWorkspace;
    let tasks = 0;
    /** A fresh pool over `specs`; task ids are `<project>:<target>`. */
    const pool = (
      size: number,
      specs: readonly TaskSpec[],
      limits: PoolLimits = {},
    ): { pool: WorkerPool; ids: string[] } => {
      const byId: Record<string, TaskSpec> = {};
      for (const spec of specs) byId[`${spec.project}:${spec.target}`] = spec;
      return { pool: harness.create(workspace, size, byId, limits), ids: Object.keys(byId) };
    };
    const pidFiles = new PidFiles();
    /** `sleep` processes started the ways this backend can be asked to; their pids go to a tracked file. */
    const sleepers = (name: string, wait: boolean, kinds = sleeperKinds): Sleepers => ({
      pidFile: pidFiles.track(workspace.file(`${name}.pids`)),
      kinds,
      await: wait,
    });
    /** A unique target name, so task ids and tags never repeat within the suite. */
    const target = (name: string): string => `${name}-${++tasks}`;

    before(() => {
      workspace = new FakeWorkspace();
    });
    afterEach(async () => {
      harness.stray = '';
      harness.late = '';
      await harness.closeAll();
      pidFiles.killAll();
    });
    after(async () => {
      await harness.closeAll();
      workspace.remove();
    });

    void it('reports success, {success: false} as executor-failed, and a throw with its message and stack', async () => {
      const { pool: p, ids } = pool(1, [
        { project: 'app', target: target('ok'), options: {} },
        { project: 'app', target: target('no'), options: { end: 'fail' } },
        { project: 'app', target: target('boom'), options: { end: 'throw', message: 'boom from the fake' } },
      ]);
      const [ok, no, boom] = await harness.runAll(p, ids);
      assert.deepEqual(ok?.result.outcome, { status: 'succeeded' });
      assert.deepEqual(no?.result.outcome, { status: 'failed', reason: 'executor-failed' });
      const thrown = boom?.result.outcome;
      assert.equal(thrown?.status, 'failed');
      assert.ok(thrown.status === 'failed');
      assert.equal(thrown.reason, 'threw');
      assert.match(thrown.message ?? '', /Error: boom from the fake/);
      assert.match(thrown.message ?? '', /impl\.js:\d+/, 'the message carries the stack');
    });

    const childOutput =
      backend === 'processes'
        ? 'stdout, stderr and the output of child processes with inherited stdio reach that task only, in order'
        : 'stdout and stderr (and a piped child relayed through process.stdout) reach that task only, in order; ' +
          'a child with inherited stdio writes to the main process fd, not captured';
    void it(`output: ${childOutput}`, async () => {
      const inherit = backend === 'processes';
      const first = target('talk');
      const second = target('talk');
      const { pool: p, ids } = pool(1, [
        {
          project: 'app',
          target: first,
          options: { tag: first, lines: 5, stderrLines: 4, childPiped: true, childEcho: inherit, childNode: inherit },
        },
        { project: 'app', target: second, options: { tag: second, lines: 3, stderrLines: 2 } },
      ]);
      const [a, b] = await harness.runAll(p, ids);
      assert.ok(a && b);
      assert.deepEqual(linesWith(a.output, `${first} out`), numbered(`${first} out`, 0, 5));
      assert.deepEqual(linesWith(a.output, `${first} err`), numbered(`${first} err`, 0, 4));
      assert.deepEqual(linesWith(a.output, 'from-piped-child'), [`from-piped-child ${first}`]);
      if (inherit) {
        assert.deepEqual(linesWith(a.output, 'from-child'), [`from-child ${first}`]);
        assert.deepEqual(linesWith(a.output, 'from-node-child'), [`from-node-child ${first}`]);
      }
      assert.deepEqual(linesWith(b.output, `${second} out`), numbered(`${second} out`, 0, 3));
      assert.deepEqual(linesWith(b.output, `${second} err`), numbered(`${second} err`, 0, 2));
      assertOwnLinesOnly(a, first, [second]);
      assertOwnLinesOnly(b, second, [first]);
      assert.doesNotMatch(b.output, /from-/);
      assert.equal(harness.late, '', 'no output reaches a task after its result');
      assert.doesNotMatch(harness.stray, new RegExp(`${first}|${second}`));
    });

    if (concurrent) {
      void it('output: two tasks running at once on two workers never get a line of each other', async () => {
        const left = target('left');
        const right = target('right');
        const leftReady = workspace.file(`${left}.ready`);
        const rightReady = workspace.file(`${right}.ready`);
        const { pool: p, ids } = pool(2, [
          {
            project: 'app',
            target: left,
            options: {
              tag: left,
              lines: 300,
              stderrLines: 100,
              rendezvous: { create: leftReady, waitFor: rightReady, afterLines: 300 },
            },
          },
          {
            project: 'app',
            target: right,
            options: {
              tag: right,
              lines: 300,
              stderrLines: 100,
              rendezvous: { create: rightReady, waitFor: leftReady, afterLines: 300 },
            },
          },
        ]);
        const runs = await harness.runAll(p, ids);
        const [l, r] = [
          runs.find((run) => run.taskId === `app:${left}`),
          runs.find((run) => run.taskId === `app:${right}`),
        ];
        assert.ok(l && r);
        assert.deepEqual(l.result.outcome, { status: 'succeeded' });
        assert.deepEqual(r.result.outcome, { status: 'succeeded' });
        assert.notEqual(l.result.workerId, r.result.workerId, 'they ran on two workers');
        assert.deepEqual(linesWith(l.output, `${left} out`), numbered(`${left} out`, 0, 600));
        assert.deepEqual(linesWith(r.output, `${right} out`), numbered(`${right} out`, 0, 600));
        assert.deepEqual(linesWith(l.output, `${left} err`), numbered(`${left} err`, 0, 100));
        assert.deepEqual(linesWith(r.output, `${right} err`), numbered(`${right} err`, 0, 100));
        assertOwnLinesOnly(l, left, [right]);
        assertOwnLinesOnly(r, right, [left]);
      });
    }

    void it('output: a task printing 50,000 lines gets all of them, exactly once, in order', async () => {
      const big = target('big');
      const { pool: p, ids } = pool(1, [{ project: 'app', target: big, options: { tag: big, lines: 50_000 } }]);
      const [run] = await harness.runAll(p, ids);
      assert.ok(run);
      assert.deepEqual(run.result.outcome, { status: 'succeeded' });
      const lines = linesWith(run.output, `${big} out`);
      assert.equal(lines.length, 50_000);
      assert.deepEqual(lines, numbered(`${big} out`, 0, 50_000));
      assert.equal(harness.late, '');
    });

    void it('warm workers are reused: 6 tasks on a pool of 2 run on at most 2 workers, and workerId names them', async () => {
      const specs = Array.from({ length: 6 }, () => {
        const name = target('warm');
        return { project: 'app', target: name, options: { record: workspace.file(`${name}.json`) } };
      });
      const { pool: p, ids } = pool(2, specs);
      const runs = await harness.runAll(p, ids);
      assert.equal(runs.length, 6);
      const workers = new Set<string>();
      for (const run of runs) {
        assert.deepEqual(run.result.outcome, { status: 'succeeded' });
        const recording = workspace.recording(`${run.taskId.slice('app:'.length)}.json`);
        const worker = workerOf(backend, recording);
        assert.equal(run.result.workerId, worker, `workerId of ${run.taskId}`);
        workers.add(worker);
        if (backend === 'inline') assert.deepEqual([recording.pid, recording.threadId], [process.pid, 0]);
        if (backend === 'threads') assert.equal(recording.pid, process.pid);
        if (backend === 'processes') assert.notEqual(recording.pid, process.pid);
      }
      assert.ok(workers.size <= p.size, `ran on ${[...workers].join(', ')}`);
    });

    void it('environment: a task sees its own NX_TASK_TARGET_* and not a variable the previous task set', async () => {
      const first = target('first');
      const second = target('second');
      const { pool: p, ids } = pool(1, [
        {
          project: 'alpha',
          target: first,
          options: { record: workspace.file(`${first}.json`), setEnv: { POOL_CONTRACT_LEAK: 'leaked' } },
        },
        {
          project: 'beta',
          target: second,
          options: { record: workspace.file(`${second}.json`), probeEnv: 'POOL_CONTRACT_LEAK' },
        },
      ]);
      const runs = await harness.runAll(p, ids);
      for (const run of runs) assert.deepEqual(run.result.outcome, { status: 'succeeded' });
      const a = workspace.recording(`${first}.json`);
      const b = workspace.recording(`${second}.json`);
      assert.deepEqual([a.project, a.target], ['alpha', first]);
      assert.deepEqual([b.project, b.target], ['beta', second]);
      assert.equal(workerOf(backend, a), workerOf(backend, b), 'both ran on the same worker');
      assert.equal(b.probe, null);
      assert.equal(process.env.POOL_CONTRACT_LEAK, undefined);
    });

    if (backend === 'threads') {
      void it('process.chdir() in a thread fails the task, not the pool, and the next task runs', async () => {
        const mover = target('mover');
        const next = target('next');
        const { pool: p, ids } = pool(1, [
          { project: 'app', target: mover, options: { chdir: join(workspace.root, 'libs') } },
          { project: 'app', target: next, options: { record: workspace.file(`${next}.json`) } },
        ]);
        const [moved, after] = await harness.runAll(p, ids);
        const outcome = moved?.result.outcome;
        assert.ok(outcome?.status === 'failed', JSON.stringify(outcome));
        assert.match(failureText(outcome) ?? '', /chdir/);
        assert.deepEqual(after?.result.outcome, { status: 'succeeded' });
      });
    } else {
      void it('process.cwd() is restored after a task that changed it', async () => {
        const before = process.cwd();
        const mover = target('mover');
        const next = target('next');
        const { pool: p, ids } = pool(1, [
          {
            project: 'app',
            target: mover,
            options: { record: workspace.file(`${mover}.json`), chdir: join(workspace.root, 'libs') },
          },
          { project: 'app', target: next, options: { record: workspace.file(`${next}.json`) } },
        ]);
        const runs = await harness.runAll(p, ids);
        for (const run of runs) assert.deepEqual(run.result.outcome, { status: 'succeeded' });
        const moved = workspace.recording(`${mover}.json`);
        const after = workspace.recording(`${next}.json`);
        assert.equal(workerOf(backend, moved), workerOf(backend, after), 'both ran on the same worker');
        assert.equal(after.cwd, moved.cwd);
        assert.equal(process.cwd(), before);
      });
    }

    // process.exit() in the inline backend would end this test process: not run there.
    if (concurrent) {
      void it('crash: process.exit(3) fails the task as worker-crashed with the code, and a replacement runs the next', async () => {
        const before = target('before');
        const crash = target('crash');
        const next = target('next');
        const { pool: p, ids } = pool(1, [
          { project: 'app', target: before, options: { record: workspace.file(`${before}.json`) } },
          { project: 'app', target: crash, options: { end: 'exit' } },
          { project: 'app', target: next, options: { record: workspace.file(`${next}.json`) } },
        ]);
        const runs = await within(harness.runAll(p, ids), RESULT_BOUND_MS, 'no result' as const);
        assert.notEqual(runs, 'no result', 'every task got a result');
        assert.ok(runs !== 'no result');
        const [first, crashed, after] = runs;
        assert.deepEqual(first?.result.outcome, { status: 'succeeded' });
        const outcome = crashed?.result.outcome;
        assert.ok(outcome?.status === 'failed', JSON.stringify(outcome));
        assert.equal(outcome.reason, 'worker-crashed');
        assert.match(outcome.message ?? '', /code 3\b/);
        assert.deepEqual(after?.result.outcome, { status: 'succeeded' });
        const replaced = workerOf(backend, workspace.recording(`${next}.json`));
        assert.notEqual(replaced, workerOf(backend, workspace.recording(`${before}.json`)), 'a new worker ran it');
      });
    }

    void it('close() resolves, and (processes) leaves no worker process behind', async () => {
      const specs = Array.from({ length: 4 }, (_, i) => {
        const name = target(`closing${i}`);
        return { project: 'app', target: name, options: { record: workspace.file(`${name}.json`) } };
      });
      const { pool: p, ids } = pool(2, specs);
      const runs = await harness.runAll(p, ids);
      for (const run of runs) assert.deepEqual(run.result.outcome, { status: 'succeeded' });
      const recordings = specs.map((spec) => workspace.recording(`${spec.target}.json`));
      assert.equal(await within(p.close(), RESULT_BOUND_MS, 'still open'), undefined);
      if (backend === 'processes') {
        const pids = [...new Set(recordings.map((recording) => recording.pid))];
        assert.deepEqual(
          pids.filter((pid) => !isGone(pid)),
          [],
          'every worker process is gone',
        );
      }
    });

    void it('every call gets exactly one result, whatever the outcome', async () => {
      const ends = concurrent
        ? (['succeed', 'fail', 'throw', 'exit', 'succeed'] as const)
        : (['succeed', 'fail', 'throw', 'succeed'] as const);
      const { pool: p, ids } = pool(
        2,
        ends.map((end) => ({ project: 'app', target: target(end), options: { end } })),
      );
      const runs = await within(harness.runAll(p, ids), RESULT_BOUND_MS, 'no result' as const);
      assert.ok(runs !== 'no result', 'every call got a result');
      assert.equal(runs.length, ends.length);
      assert.deepEqual(runs.map((run) => run.taskId).sort(), [...ids].sort());
      const outcomes = new Map(runs.map((run) => [run.taskId, run.result.outcome]));
      for (const [i, end] of ends.entries()) {
        const outcome = outcomes.get(ids[i] ?? '');
        const reason = outcome?.status === 'failed' ? outcome.reason : outcome?.status;
        assert.equal(reason, EXPECTED_REASON[end], `${ids[i]} (${end})`);
      }
    });

    void it('every call in flight at close() gets exactly one result, and close() resolves', async () => {
      const release = workspace.file(`${target('release')}`);
      const specs = Array.from({ length: concurrent ? 2 : 1 }, (_, i) => {
        const name = target(`inflight${i}`);
        return {
          project: 'app',
          target: name,
          options: { rendezvous: { create: workspace.file(`${name}.started`), waitFor: release, afterLines: 1 } },
        };
      });
      const { pool: p, ids } = pool(specs.length, specs);
      const settled: string[] = [];
      const pending = ids.map((id) =>
        harness.run(p, id).then((run) => {
          settled.push(run.taskId);
          return run;
        }),
      );
      await waitForFiles(
        specs.map((spec) => workspace.file(`${spec.target}.started`)),
        RESULT_BOUND_MS,
      );
      const closing = p.close();
      writeFileSync(release, '');
      const outcome = await within(Promise.all(pending), RESULT_BOUND_MS, 'no result' as const);
      assert.notEqual(outcome, 'no result', `results for ${settled.join(', ') || 'none'} of ${ids.join(', ')}`);
      assert.deepEqual([...settled].sort(), [...ids].sort());
      assert.equal(await within(closing, RESULT_BOUND_MS, 'still open'), undefined);
    });

    /** Fails the test with the pids of `label` that are still there after a bounded wait. */
    const assertGone = async (pids: readonly number[], label: string): Promise<void> => {
      assert.ok(pids.length > 0, `no pids of ${label} to check`);
      assert.deepEqual(await waitUntilGone(pids, GONE_BOUND_MS), [], `${label} still running`);
    };
    const recorded = (name: string): string => workerOf(backend, workspace.recording(`${name}.json`));
    const failure = (run: TaskRun | undefined): { reason: string; message: string } => {
      const outcome = run?.result.outcome;
      assert.ok(outcome?.status === 'failed', `${run?.taskId}: ${JSON.stringify(outcome)}`);
      return { reason: outcome.reason, message: failureText(outcome) ?? '' };
    };

    if (concurrent) {
      void it('taskTimeoutMs (not on inline: a task there cannot be killed): a hanging task and one waiting on hanging processes fail timed-out, the processes are gone, fresh workers run the next tasks', async () => {
        const hang = target('hang');
        const waiting = target('waiting');
        const next = [target('next'), target('next')];
        const waitingSleepers = sleepers(waiting, true);
        const { pool: p, ids } = pool(
          2,
          [
            { project: 'app', target: hang, options: { record: workspace.file(`${hang}.json`), end: 'hang' as const } },
            {
              project: 'app',
              target: waiting,
              options: { record: workspace.file(`${waiting}.json`), sleepers: waitingSleepers },
            },
            ...next.map((name) => ({
              project: 'app',
              target: name,
              options: { record: workspace.file(`${name}.json`) },
            })),
          ],
          { taskTimeoutMs: TIMEOUT_MS },
        );
        const runs = await within(harness.runAll(p, ids), RESULT_BOUND_MS, 'no result' as const);
        assert.ok(runs !== 'no result', 'every task got a result');
        const byTarget = (name: string): TaskRun | undefined => runs.find((run) => run.taskId === `app:${name}`);
        for (const name of next) assert.deepEqual(byTarget(name)?.result.outcome, { status: 'succeeded' });
        for (const name of [hang, waiting]) {
          const { reason, message } = failure(byTarget(name));
          assert.equal(reason, 'timed-out', name);
          assert.match(message, /taskTimeout/, name);
        }
        await assertGone(readPids(waitingSleepers.pidFile), 'the processes of the timed-out task');
        const timedOut = new Set([recorded(hang), recorded(waiting)]);
        for (const name of next) assert.ok(!timedOut.has(recorded(name)), `${name} ran on a timed-out worker`);
        if (backend === 'processes') {
          await assertGone(
            [hang, waiting].map((name) => workspace.recording(`${name}.json`).pid),
            'the timed-out workers',
          );
        }
      });
    }

    const recycling = concurrent
      ? 'maxTasksPerWorker: 1 runs 4 tasks on 4 workers (size 2), 2 runs at most 2 tasks per worker (size 1), and every call is answered'
      : 'maxTasksPerWorker (inline has one worker, the main process, and never recycles): every call is answered';
    void it(recycling, async () => {
      // Size 2 with 1 task per worker, size 1 with 2: the fewest fresh workers that show each limit.
      for (const [max, size, count] of [
        [1, 2, 4],
        [2, 1, 4],
      ] as const) {
        const names = Array.from({ length: count }, () => target(`recycle${max}`));
        const { pool: p, ids } = pool(
          size,
          names.map((name) => ({ project: 'app', target: name, options: { record: workspace.file(`${name}.json`) } })),
          { maxTasksPerWorker: max },
        );
        const runs = await within(harness.runAll(p, ids), RESULT_BOUND_MS, 'no result' as const);
        assert.ok(runs !== 'no result', `maxTasksPerWorker ${max}: every call is answered`);
        assert.deepEqual(runs.map((run) => run.taskId).sort(), [...ids].sort());
        for (const run of runs) assert.deepEqual(run.result.outcome, { status: 'succeeded' }, run.taskId);
        const perWorker = new Map<string, number>();
        for (const name of names) perWorker.set(recorded(name), (perWorker.get(recorded(name)) ?? 0) + 1);
        if (!concurrent) {
          assert.deepEqual([...perWorker], [['main', count]]);
          continue;
        }
        if (max === 1) assert.equal(perWorker.size, count, `ran on ${[...perWorker.keys()].join(', ')}`);
        for (const [worker, tasksRun] of perWorker) assert.ok(tasksRun <= max, `${worker} ran ${tasksRun} tasks`);
      }
    });

    if (backend === 'processes') {
      void it('crash: a worker out of memory fails its task as worker-crashed, and a replacement runs the next', async () => {
        const crash = target('oom');
        const next = target('next');
        const { pool: p, ids } = pool(
          1,
          [
            { project: 'app', target: crash, options: { end: 'out-of-memory' } },
            { project: 'app', target: next, options: { record: workspace.file(`${next}.json`) } },
          ],
          // A small heap makes the worker run out of memory in a moment.
          { env: { NODE_OPTIONS: '--max-old-space-size=64' } },
        );
        const runs = await within(harness.runAll(p, ids), RESULT_BOUND_MS, 'no result' as const);
        assert.ok(runs !== 'no result', 'every task got a result');
        const [crashed, after] = runs;
        assert.equal(failure(crashed).reason, 'worker-crashed');
        assert.match(`${crashed?.output ?? ''}\n${failure(crashed).message}`, /heap out of memory|SIGABRT|code 134/i);
        assert.deepEqual(after?.result.outcome, { status: 'succeeded' });
      });
    }

    // Either would end this test process on the inline backend: not run there.
    if (concurrent) {
      for (const end of ['throw-outside', 'reject-outside'] as const) {
        const what = end === 'throw-outside' ? "a throw outside the executor's promise" : 'an unhandled rejection';
        void it(`crash: ${what} fails the task as worker-crashed with its error, and a replacement runs the next`, async () => {
          const before = target('before');
          const crash = target(end);
          const next = target('next');
          const text = `${end === 'throw-outside' ? 'x' : 'y'} from ${crash}`;
          const { pool: p, ids } = pool(1, [
            { project: 'app', target: before, options: { record: workspace.file(`${before}.json`) } },
            { project: 'app', target: crash, options: { end, message: text } },
            { project: 'app', target: next, options: { record: workspace.file(`${next}.json`) } },
          ]);
          const runs = await within(harness.runAll(p, ids), RESULT_BOUND_MS, 'no result' as const);
          assert.ok(runs !== 'no result', 'every task got a result');
          const [first, crashed, after] = runs;
          assert.deepEqual(first?.result.outcome, { status: 'succeeded' });
          const { reason, message } = failure(crashed);
          assert.equal(reason, 'worker-crashed');
          assert.ok(
            `${crashed?.output ?? ''}\n${message}`.includes(text),
            `"${text}" is in neither the output nor the message: ${message}`,
          );
          assert.deepEqual(after?.result.outcome, { status: 'succeeded' });
          assert.notEqual(recorded(next), recorded(before), 'a new worker ran the next task');
        });
      }
    }

    if (concurrent) {
      void it('close() while tasks run (not on inline: a task there cannot be killed): each task in flight is interrupted once, its worker and processes are gone, close() resolves', async () => {
        const names = [target('terminated'), target('terminated')];
        const specs = names.map((name) => ({
          project: 'app',
          target: name,
          options: { record: workspace.file(`${name}.json`), sleepers: sleepers(name, true) },
        }));
        const { pool: p, ids } = pool(2, specs);
        const results = new Map<string, number>();
        const pending = ids.map((id) =>
          harness.run(p, id).then((run) => {
            results.set(id, (results.get(id) ?? 0) + 1);
            return run;
          }),
        );
        const files = specs.map((spec) => spec.options.sleepers.pidFile);
        await waitForFiles(files, RESULT_BOUND_MS);
        assert.equal(await within(p.close(), RESULT_BOUND_MS, 'still running'), undefined);
        const runs = await within(Promise.all(pending), RESULT_BOUND_MS, 'no result' as const);
        assert.ok(runs !== 'no result', 'every task in flight got a result');
        for (const run of runs) assert.equal(failure(run).reason, 'interrupted', run.taskId);
        assert.deepEqual([...results].sort(), ids.map((id) => [id, 1]).sort());
        await assertGone(files.flatMap(readPids), 'the processes of the interrupted tasks');
        if (backend === 'processes') {
          await assertGone(
            names.map((name) => workspace.recording(`${name}.json`).pid),
            'the workers',
          );
        }
      });
    }

    void it('close() ends the processes a finished task left running in the background', async () => {
      const name = target('background');
      const background = sleepers(name, false);
      const { pool: p, ids } = pool(1, [{ project: 'app', target: name, options: { sleepers: background } }]);
      const [run] = await harness.runAll(p, ids);
      assert.deepEqual(run?.result.outcome, { status: 'succeeded' });
      const pids = readPids(background.pidFile);
      assert.ok(
        pids.every((pid) => !isGone(pid)),
        'the background processes run after the task',
      );
      assert.equal(await within(p.close(), RESULT_BOUND_MS, 'still open'), undefined);
      await assertGone(pids, 'the background processes');
    });

    // A thread's processes are children of this process: only what the thread reports can be killed.
    if (backend === 'threads') {
      void it('close() while a thread task waits on its processes: one result, close() resolves, the processes are gone', async () => {
        const name = target('closed-in-flight');
        const waiting = sleepers(name, true);
        const { pool: p, ids } = pool(1, [{ project: 'app', target: name, options: { sleepers: waiting } }]);
        const [id] = ids;
        assert.ok(id);
        let results = 0;
        const pending = harness.run(p, id).then((run) => {
          results++;
          return run;
        });
        await waitForFiles([waiting.pidFile], RESULT_BOUND_MS);
        assert.equal(await within(p.close(), RESULT_BOUND_MS, 'still open'), undefined);
        assert.notEqual(await within(pending, RESULT_BOUND_MS, 'no result' as const), 'no result');
        assert.equal(results, 1);
        await assertGone(readPids(waiting.pidFile), 'the processes of the task');
      });
    }
  });
}

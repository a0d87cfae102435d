/**
 * Overhead: no-op tasks one after another on one worker of each built backend, against the same
 * task run by `runTask` directly in this process (Nx's `runExecutor` and the task's environment,
 * no pool). The difference per task is what the pool adds.
 */
import { performance } from 'node:perf_hooks';
import type { Backend } from '../src/executor/backends/backend-definition';
import type { WorkerInit } from '../src/worker/protocol';
import { loadCreateWorkerPool, loadRunTask } from './built';
import { createNoopWorkspace } from './noop-workspace';
import { fixed } from './stats';
import type { Table } from './table';

const TASKS = 1000;
/** Tasks run first and not counted: module loading and JIT warm-up. */
const WARM_UP = 50;
const BACKENDS: readonly Backend[] = ['processes', 'threads', 'inline'];

export interface OverheadMeasurement {
  /** A backend, or `direct` for `runTask` without a pool. */
  runner: Backend | 'direct';
  tasks: number;
  totalMs: number;
  msPerTask: number;
  /** msPerTask minus that of `direct`; 0 for `direct`. */
  addedMsPerTask: number;
  failed: number;
}

async function timeRuns(
  ids: readonly string[],
  run: (id: string, seq: number) => Promise<boolean>,
): Promise<[number, number]> {
  let failed = 0;
  for (let i = 0; i < WARM_UP; i++) if (!(await run(ids[i] as string, i))) failed++;
  const start = performance.now();
  for (let i = WARM_UP; i < ids.length; i++) if (!(await run(ids[i] as string, i))) failed++;
  return [performance.now() - start, failed];
}

async function timeBackend(backend: Backend, init: WorkerInit, ids: readonly string[]): Promise<[number, number]> {
  const pool = loadCreateWorkerPool()(backend, {
    size: 1,
    env: init.baseEnv,
    onStrayOutput: (text) => process.stderr.write(text),
    taskTimeoutMs: 0,
    maxTasksPerWorker: undefined,
  });
  try {
    void pool.initialize(init);
    return await timeRuns(ids, async (taskId, seq) => {
      const { outcome } = await pool.run({ seq, taskId }, () => undefined);
      return outcome.status === 'succeeded';
    });
  } finally {
    await pool.close();
  }
}

function timeDirect(init: WorkerInit, ids: readonly string[]): Promise<[number, number]> {
  const runTask = loadRunTask();
  return timeRuns(
    ids,
    async (taskId, seq) => (await runTask({ seq, taskId }, init, { listeners: true })).outcome.status === 'succeeded',
  );
}

export async function measureOverhead(): Promise<OverheadMeasurement[]> {
  const workspace = createNoopWorkspace(TASKS + WARM_UP);
  try {
    const runs: Array<[OverheadMeasurement['runner'], [number, number]]> = [
      ['direct', await timeDirect(workspace.init, workspace.taskIds)],
    ];
    for (const backend of BACKENDS) runs.push([backend, await timeBackend(backend, workspace.init, workspace.taskIds)]);
    const directPerTask = (runs[0]?.[1][0] ?? NaN) / TASKS;
    return runs.map(([runner, [totalMs, failed]]) => ({
      runner,
      tasks: TASKS,
      totalMs,
      msPerTask: totalMs / TASKS,
      addedMsPerTask: totalMs / TASKS - directPerTask,
      failed,
    }));
  } finally {
    workspace.remove();
  }
}

export function overheadTable(measurements: readonly OverheadMeasurement[]): Table {
  return {
    title: `Overhead: ${TASKS} no-op tasks on 1 worker`,
    columns: ['runner', 'tasks', 'total ms', 'ms per task', 'added by the pool, ms per task', 'failed'],
    rows: measurements.map((m) => [
      m.runner === 'direct' ? 'runTask in-process (no pool)' : m.runner,
      String(m.tasks),
      fixed(m.totalMs, 0),
      fixed(m.msPerTask, 3),
      m.runner === 'direct' ? '-' : fixed(m.addedMsPerTask, 3),
      String(m.failed),
    ]),
    notes: [`After ${WARM_UP} warm-up tasks per runner, which are not counted.`],
  };
}

/**
 * Runs a dependency graph of tasks on a worker pool. Event-driven: a task is dispatched when a
 * worker frees up or a teardown releases it, never by polling.
 *
 * - Setup (here, on the main process): a task whose dependency failed or was skipped is skipped with
 *   that reason and never sent to a worker; a task found in Nx's cache is restored from it. The
 *   tasks released together are set up concurrently and queued in rank order (see setup-batch.ts).
 * - Execute: on the pool, at most `pool.size` tasks at once; a task whose worker died under it is
 *   started again, up to `retries` times.
 * - Teardown (here, strictly one task at a time, in completion order): record the result, emit it
 *   to the reporters, then release the task's dependents.
 *
 * After `maxFailures` failures, or `stop()`, nothing new starts: the tasks that were not started
 * are recorded as skipped with reason `run-stopped`, and the running ones finish.
 */
import type { DependencyGraph } from '../graph/task-graph';
import type { WorkerPool } from '../pool/worker-pool';
import type { RunEvent, TaskRecord, TaskResult } from '../report/events';
import { failureText } from '../report/failure-text';
import { isRetryable } from '../report/task-failure';
import { TaskOutput } from '../report/task-output';
import { invert } from './count-dependents';
import { ReadyQueue } from './ready-queue';
import { SetupBatch } from './setup-batch';

export interface SchedulerOptions {
  graph: DependencyGraph;
  pool: WorkerPool;
  /** Higher runs first among ready tasks; ties keep graph order. */
  priority: (taskId: string) => number;
  /** Teardown waits for the promise a `task-finished` event returns. */
  emit: (event: RunEvent) => void | Promise<void>;
  /** Start nothing new after this many failed tasks. */
  maxFailures?: number;
  /** How often to start a task again whose worker died under it. */
  retries?: number;
  /**
   * Setup of a ready task, on the main process: Nx's cache. A task found there (its outputs
   * restored) is never sent to a worker. Must not reject.
   */
  setup?: (taskId: string) => Promise<SetupResult>;
  /** Teardown of a task that ran and succeeded, before it is reported: stores it in Nx's cache. */
  storeSucceeded?: (record: TaskRecord) => Promise<void>;
}

export interface SetupResult {
  hash?: string;
  /** The task's terminal output from the cache, on a hit. */
  cached?: { output: string; remote: boolean };
}

export interface Scheduler {
  /** Resolves with one record per task of the graph once every task has one. */
  run(): Promise<Map<string, TaskRecord>>;
  /** Starts nothing new; the tasks not started yet are recorded as skipped with this cause. */
  stop(cause: string): void;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  return new GraphScheduler(options);
}

export function runScheduler(options: SchedulerOptions): Promise<Map<string, TaskRecord>> {
  return createScheduler(options).run();
}

class GraphScheduler implements Scheduler {
  private readonly records = new Map<string, TaskRecord>();
  private readonly hashes = new Map<string, string>();
  private readonly waitingOn: Map<string, number>;
  private readonly dependents: Map<string, string[]>;
  private readonly ready: ReadyQueue;
  private readonly position: (id: string) => number;
  private running = 0;
  private failures = 0;
  private nextSeq = 0;
  private stopped: string | undefined;
  private teardowns: Promise<void> = Promise.resolve();
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor(private readonly options: SchedulerOptions) {
    const { graph } = options;
    const position = new Map(graph.ids.map((id, i) => [id, i]));
    this.position = (id) => position.get(id) ?? 0;
    this.ready = new ReadyQueue(options.priority, this.position);
    this.dependents = invert(graph);
    this.waitingOn = new Map(graph.ids.map((id) => [id, graph.dependencies[id]?.length ?? 0]));
  }

  async run(): Promise<Map<string, TaskRecord>> {
    const done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    if (this.options.graph.ids.length === 0) return this.records;
    this.release(this.options.graph.ids.filter((id) => this.waitingOn.get(id) === 0));
    this.dispatch();
    await done;
    return this.records;
  }

  stop(cause: string): void {
    if (this.stopped) return;
    this.stopped = cause;
    this.options.pool.withdrawQueued?.();
    for (let id = this.ready.pop(); id !== undefined; id = this.ready.pop()) this.skip(id, this.notStarted());
  }

  private notStarted(): TaskResult {
    return { status: 'skipped', reason: 'run-stopped', cause: this.stopped ?? 'the run was stopped' };
  }

  private dispatch(): void {
    while (!this.stopped && this.running < this.options.pool.size && this.ready.length > 0) {
      this.start(this.ready.pop() as string, 1, new TaskOutput(), Date.now());
    }
  }

  /**
   * Setup of tasks released together, whose dependencies all have results: skip each, take it from
   * the cache, or queue it for a worker. The caller dispatches.
   */
  private release(ids: readonly string[]): void {
    const { setup } = this.options;
    const runnable: string[] = [];
    for (const id of ids) {
      const blocked = this.blockingDependency(id) ?? (this.stopped ? this.notStarted() : undefined);
      if (blocked) this.skip(id, blocked);
      else runnable.push(id);
    }
    if (!setup) {
      for (const id of runnable) this.ready.push(id);
      return;
    }
    const batch = new SetupBatch({ taskIds: runnable, priority: this.options.priority, order: this.position });
    for (const id of runnable) {
      void setup(id).then((result) => this.afterSetup(id, result, batch), this.settle.reject);
    }
  }

  private afterSetup(id: string, { hash, cached }: SetupResult, batch: SetupBatch): void {
    if (hash) this.hashes.set(id, hash);
    if (cached) {
      const now = Date.now();
      const output = new TaskOutput();
      output.append(cached.output);
      const result: TaskResult = { status: 'succeeded', cached: cached.remote ? 'remote' : 'local' };
      this.teardown({ taskId: id, result, start: now, end: now, attempts: 0, output });
    }
    for (const ready of batch.setUp(id, !cached)) {
      if (this.stopped) this.skip(ready, this.notStarted());
      else this.ready.push(ready);
    }
    this.dispatch();
  }

  private skip(id: string, result: TaskResult): void {
    const now = Date.now();
    this.teardown({ taskId: id, result, start: now, end: now, attempts: 0, output: new TaskOutput() });
  }

  /** The reason a task must be skipped, if one of its dependencies did not succeed. */
  private blockingDependency(id: string): TaskResult | undefined {
    for (const dependency of this.options.graph.dependencies[id] ?? []) {
      const status = this.records.get(dependency)?.result.status;
      if (status === 'failed') return { status: 'skipped', reason: 'dependency-failed', dependency };
      if (status === 'skipped') return { status: 'skipped', reason: 'dependency-skipped', dependency };
    }
    return undefined;
  }

  private start(id: string, attempt: number, output: TaskOutput, start: number): void {
    this.running++;
    if (attempt === 1) void this.options.emit({ type: 'task-started', taskId: id });
    const onOutput = (text: string): void => {
      output.append(text);
      void this.options.emit({ type: 'task-output', taskId: id, text });
    };
    const request = { seq: this.nextSeq++, taskId: id, priority: this.options.priority(id), hash: this.hashes.get(id) };
    void this.options.pool.run(request, onOutput).then(({ outcome, workerId, withdrawn, queuedMs }) => {
      this.running--;
      if (withdrawn) return this.skip(id, this.notStarted());
      const crashed = outcome.status === 'failed' && isRetryable(outcome.reason);
      if (crashed && attempt <= (this.options.retries ?? 0) && !this.stopped) {
        onOutput(
          `\n[nx-parallel] ${failureText(outcome) ?? 'The worker died.'} Starting the task again (retry ${attempt}).\n`,
        );
        this.start(id, attempt + 1, output, start);
      } else {
        // The freed worker is handed out by finish(), once this task's dependents were released
        // and can compete for it.
        // Time in a queue is not the task's: its run starts when a worker started it.
        const ranFrom = attempt === 1 && queuedMs ? start + queuedMs : start;
        const record = {
          taskId: id,
          result: outcome,
          start: ranFrom,
          end: Date.now(),
          workerId,
          attempts: attempt,
          output,
        };
        this.teardown(queuedMs ? { ...record, queuedMs } : record);
      }
    }, this.settle.reject);
  }

  /** Queues a teardown behind the ones before it, so teardowns never overlap. */
  private teardown(record: TaskRecord): void {
    this.teardowns = this.teardowns.then(() => this.finish(record)).catch(this.settle.reject);
  }

  private async finish(record: TaskRecord): Promise<void> {
    if (this.records.has(record.taskId)) throw new Error(`Task ${record.taskId} got a second result.`);
    record.hash ??= this.hashes.get(record.taskId);
    this.records.set(record.taskId, record);
    if (record.result.status === 'succeeded' && !record.result.cached && record.attempts > 0) {
      await this.options.storeSucceeded?.(record);
    }
    await this.options.emit({ type: 'task-finished', record });
    if (record.result.status === 'failed' && ++this.failures >= (this.options.maxFailures ?? Infinity)) {
      this.stop(
        `${this.failures} task${this.failures === 1 ? '' : 's'} failed (maxFailures: ${this.options.maxFailures})`,
      );
    }
    const released: string[] = [];
    for (const dependent of this.dependents.get(record.taskId) ?? []) {
      const left = (this.waitingOn.get(dependent) ?? 0) - 1;
      this.waitingOn.set(dependent, left);
      if (left === 0) released.push(dependent);
    }
    this.release(released);
    if (this.records.size === this.options.graph.ids.length) this.settle.resolve();
    else this.dispatch();
  }
}

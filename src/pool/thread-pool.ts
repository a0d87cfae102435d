/**
 * The `threads` backend: long-lived Node worker threads, one task per thread at a time. A thread's
 * stdout and stderr are streams in this process, split per task like a child's. A thread that
 * exits (process.exit, an uncaught error) fails its task and is replaced; so is one that ran past
 * `taskTimeout`, after the processes its task started were killed.
 *
 * Processes a thread starts are children of this process, reported by the thread as it starts
 * them. They are killed synchronously with their trees when their thread ends, and the run's reaper
 * guards them: threads die with this process, what they started would not.
 */
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { FromWorker, Leftover, TaskOutcome, TaskRequest, ToWorker, WorkerInit } from '../worker/protocol';
import { killTrees, treeRoot, type TreeRoot } from '../process-tree/kill-tree';
import { PendingRuns } from './pending-runs';
import { Reaper } from './reaper';
import { demuxStream } from './stream-demuxer';
import {
  INTERRUPTED_MESSAGE,
  leftoverReporter,
  timeoutMessage,
  type PoolOptions,
  type PoolRunResult,
  type WorkerPool,
} from './worker-pool';

const ENTRY = require.resolve('../worker/thread-entry');
/** The heap limit of this process, given to each thread. */
const HEAP_LIMIT_MB = Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);
/** Threads in a row that may exit before they run a task before the pool gives up. */
const MAX_BOOT_FAILURES = 3;

interface Slot {
  worker: Worker;
  workerId: string;
  tasksRun: number;
  /** The task running now. */
  seq?: number;
  timer?: NodeJS.Timeout;
  /** Processes the thread started: they are children of this process, not of the thread. */
  spawned: Map<number, TreeRoot>;
  /** Whether the thread began a task: one that exits before is a failure to start. */
  began: boolean;
  /** Set when this pool ends the thread under a task, so its exit is not taken for a crash. */
  forced?: TaskOutcome;
  error?: Error;
}

export class ThreadPool implements WorkerPool {
  readonly size: number;
  private readonly pending: PendingRuns;
  /** Threads in service. */
  private readonly slots = new Set<Slot>();
  /** Threads being taken down. */
  private readonly ending = new Set<Promise<void>>();
  private closed = false;
  /** Threads in a row that exited before they began a task. */
  private bootFailures = 0;
  private lostListener?: (cause: string) => void;
  private lostCause?: string;
  private init?: WorkerInit;
  private readonly reportLeftover: (leftover: Leftover) => void;
  private readonly reaper = new Reaper();

  constructor(private readonly options: PoolOptions) {
    this.size = options.size;
    this.pending = new PendingRuns(options.onStrayOutput);
    this.reportLeftover = leftoverReporter(options.onStrayOutput);
    for (let i = 0; i < options.size; i++) this.spawn();
  }

  initialize(init: WorkerInit): void {
    this.init = { ...init, memoryLimitBytes: this.options.memoryLimitBytes };
    for (const slot of this.slots) slot.worker.postMessage({ type: 'init', init: this.init } satisfies ToWorker);
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    if (this.closed) throw new Error('The thread pool is closed.');
    if (!this.init) throw new Error('The thread pool runs tasks only after initialize().');
    const slot = [...this.slots].find((candidate) => candidate.seq === undefined);
    if (!slot) throw new Error(`All ${this.size} threads are busy; the caller must wait for a free one.`);
    slot.seq = request.seq;
    slot.tasksRun++;
    const result = this.pending.start(request.seq, onOutput, slot.workerId);
    const message: ToWorker = { type: 'run', request };
    slot.worker.postMessage(message);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    const interrupted: TaskOutcome = { status: 'failed', reason: 'interrupted', message: INTERRUPTED_MESSAGE };
    const busy = [...this.slots].some((slot) => slot.seq !== undefined);
    [...this.slots].forEach((slot) => this.retire(slot, slot.seq === undefined ? undefined : interrupted));
    if (busy) this.reaper.kill();
    else this.reaper.release();
    await Promise.all(this.ending);
  }

  onLost(listener: (cause: string) => void): void {
    this.lostListener = listener;
    if (this.lostCause !== undefined) listener(this.lostCause);
  }

  /** A thread began its task: taskTimeout counts from now. */
  private began(slot: Slot): void {
    slot.began = true;
    this.bootFailures = 0;
    const { taskTimeoutMs } = this.options;
    if (!taskTimeoutMs) return;
    const outcome: TaskOutcome = { status: 'failed', reason: 'timed-out', message: timeoutMessage(taskTimeoutMs) };
    slot.timer = setTimeout(() => this.retire(slot, outcome), taskTimeoutMs);
  }

  /**
   * A thread that cannot even start would be started again for every task: after a few in a row
   * the pool gives up, with the last one's error.
   */
  private bootFailed(slot: Slot, code: number): void {
    if (++this.bootFailures < MAX_BOOT_FAILURES) return;
    const cause = slot.error ? `\n${slot.error.stack ?? slot.error.message}` : '';
    if (this.lostCause !== undefined) return;
    this.lostCause = `${MAX_BOOT_FAILURES} worker threads in a row exited (code ${code}) before they could run a task.${cause}`;
    this.lostListener?.(this.lostCause);
  }

  /**
   * Takes a thread out of service at once (a replacement starts unless the pool is closing), then
   * kills every process it started and the thread itself. `outcome` is what its running task gets.
   */
  private retire(slot: Slot, outcome?: TaskOutcome): void {
    if (!this.slots.delete(slot)) return;
    slot.forced = outcome;
    clearTimeout(slot.timer);
    if (!this.closed) this.spawn();
    this.killSpawned(slot);
    const ending = slot.worker.terminate().then(() => undefined);
    this.ending.add(ending);
    void ending.then(() => this.ending.delete(ending));
  }

  private spawn(): void {
    const worker = new Worker(ENTRY, {
      env: this.options.env,
      stdout: true,
      stderr: true,
      // With a heap limit of its own, a thread that runs out of memory ends alone (its task fails
      // as worker-crashed) instead of taking the whole process down with it.
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
    });
    if (this.init) worker.postMessage({ type: 'init', init: this.init } satisfies ToWorker);
    const slot: Slot = {
      worker,
      workerId: `thread-${worker.threadId}`,
      tasksRun: 0,
      began: false,
      spawned: new Map(),
    };
    this.slots.add(slot);
    const handlers = {
      output: (seq: number | undefined, text: string) => this.pending.output(seq, text),
      start: () => this.began(slot),
      end: (seq: number) => this.pending.ended(seq),
    };
    demuxStream(worker.stdout, handlers);
    demuxStream(worker.stderr, handlers);
    worker.on('message', (message: FromWorker) => this.receive(slot, message));
    worker.on('error', (error) => {
      slot.error = error;
    });
    worker.on('exit', (code) => {
      clearTimeout(slot.timer);
      const inService = this.slots.delete(slot);
      if (inService && !slot.began && !this.closed) this.bootFailed(slot, code);
      if (inService && !this.closed && this.lostCause === undefined) this.spawn();
      if (slot.seq !== undefined) {
        const cause = slot.error ? `: ${slot.error.stack ?? slot.error.message}` : '.';
        this.pending.abandon(
          slot.seq,
          slot.forced ?? {
            status: 'failed',
            reason: 'worker-crashed',
            message: `The worker thread exited with code ${code}${cause}`,
          },
        );
      }
      this.killSpawned(slot);
    });
  }

  private killSpawned(slot: Slot): void {
    killTrees([...slot.spawned.values()]);
    for (const pid of slot.spawned.keys()) this.reaper.forget(pid);
    slot.spawned.clear();
  }

  private receive(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'spawned': {
        const root = treeRoot(message.pid);
        if (!root) return;
        slot.spawned.set(message.pid, root);
        this.reaper.guard(root);
        return;
      }
      case 'leftover':
        this.reportLeftover(message.leftover);
        return;
      case 'done':
        // A thread being ended under its task may still reply: the outcome decided here stands.
        if (slot.forced) return;
        clearTimeout(slot.timer);
        slot.seq = undefined;
        if (message.reply.retire || slot.tasksRun >= (this.options.maxTasksPerWorker ?? Infinity)) this.retire(slot);
        this.pending.replied(message.reply.seq, message.reply.outcome);
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  }
}

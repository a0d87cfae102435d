/**
 * The `processes` backend: long-lived child processes through worker-farm, used safely. Its
 * defaults suit fire-and-forget jobs, not a scheduler: it retries a call whose child died forever,
 * queues up to 10 calls per child and starts a new farm when called after `end()`. So: one call per
 * child, no retries (the scheduler retries), never more calls than children (the scheduler owns the
 * queue), and every call answered exactly once.
 *
 * A timed-out or interrupted task is killed with its worker's whole process tree, found while the
 * worker is still alive: worker-farm's own `maxCallTime` asks the child to exit first, and once it
 * has, the processes its task started (which may sit in sessions of their own, as
 * `nx:run-commands` starts them) are orphans nobody can find. The kill is synchronous (see
 * kill-tree.ts), so it is done before Nx, which ends this process right after an interrupt, can
 * end it. Each child also leads a process group (`detached`), and the run's reaper guards it: if
 * the main process vanishes, the reaper kills each worker's tree, also that of a worker too busy
 * to notice. Its stdout and stderr are piped here and split per task.
 */
import type { ChildProcess } from 'node:child_process';
import workerFarm from 'worker-farm';
import type {
  Leftover,
  LeftoverMessage,
  RetiringMessage,
  TaskOutcome,
  TaskReply,
  TaskRequest,
  ToWorker,
  WorkerInit,
} from '../worker/protocol';
import { killTrees, treeRoot } from '../process-tree/kill-tree';
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

const ENTRY = require.resolve('../worker/process-entry');
/** Children in a row that may die before they run a task before the pool gives up. */
const MAX_BOOT_FAILURES = 3;

interface Child {
  process: ChildProcess;
  /** Whether the child began a task: until then, what it prints is held back (see `adopt`). */
  began: boolean;
  startupOutput: string;
  /** How the child ended, once it did. */
  exit?: string;
  /** Resolves when the child exited and its stdout and stderr were read to the end. */
  closed: Promise<void>;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

export class ProcessPool implements WorkerPool {
  readonly size: number;
  private readonly pending: PendingRuns;
  private readonly farm: workerFarm.Farm;
  private readonly children = new Set<Child>();
  /** The child running each task in flight, known from the task's start marker, until its call is answered. */
  private readonly running = new Map<number, Child>();
  /** Replies of children that retired after their task (see RetiringMessage), by task. */
  private readonly retired = new Map<number, TaskReply>();
  /**
   * Why each child died before it began a task, in the order they exited. worker-farm answers a call
   * such a child had taken with no way to tell which child it was; the exits come first.
   */
  private readonly startFailures: Array<Promise<string>> = [];
  /** taskTimeout of each task, counted from the moment a child began it. */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Children in a row that died before they began a task. */
  private bootFailures = 0;
  private lostListener?: (cause: string) => void;
  private lostCause?: string;
  /** Outcomes decided here rather than by the child: interrupted tasks. */
  private readonly forced = new Map<number, TaskOutcome>();
  private ended?: Promise<void>;
  private init?: WorkerInit;
  private readonly reportLeftover: (leftover: Leftover) => void;
  private readonly reaper = new Reaper();

  constructor(private readonly options: PoolOptions) {
    this.size = options.size;
    this.pending = new PendingRuns(options.onStrayOutput);
    this.reportLeftover = leftoverReporter(options.onStrayOutput);
    this.farm = workerFarm(
      {
        maxConcurrentWorkers: options.size,
        maxConcurrentCallsPerWorker: 1,
        maxRetries: 0,
        maxCallsPerWorker: options.maxTasksPerWorker ?? Infinity,
        autoStart: true,
        workerOptions: { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: options.env, detached: true },
        onChild: (child) => this.adopt(child),
      },
      ENTRY,
    );
  }

  initialize(init: WorkerInit): void {
    this.init = { ...init, memoryLimitBytes: this.options.memoryLimitBytes };
    for (const child of this.children) this.sendInit(child.process);
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    if (this.ended) throw new Error('The process pool is closed.');
    if (!this.init) throw new Error('The process pool runs tasks only after initialize().');
    const { seq } = request;
    const result = this.pending.start(seq, onOutput);
    this.farm(request, (error: Error | null, reply?: TaskReply) => {
      clearTimeout(this.timers.get(seq));
      this.timers.delete(seq);
      const child = this.running.get(seq);
      this.running.delete(seq);
      const forced = this.forced.get(seq);
      // A task killed here may still reply (it saw its processes end): the kill decides its result.
      if (!error && reply && !forced) {
        this.pending.replied(reply.seq, reply.outcome);
        return;
      }
      const message: Promise<string> = child
        ? child.closed.then(() => child.exit ?? 'The worker process died.')
        : (this.startFailures.shift() ?? Promise.resolve(`The worker process failed: ${error?.message}`));
      void message.then((text) => {
        // Once the child closed, every message it sent has arrived: a retired child's reply is here.
        const retired = this.retired.get(seq);
        this.retired.delete(seq);
        const forcedOutcome = this.forced.get(seq);
        if (retired && !forcedOutcome) this.pending.replied(seq, retired.outcome);
        else this.pending.abandon(seq, forcedOutcome ?? { status: 'failed', reason: 'worker-crashed', message: text });
      });
    });
    return result;
  }

  close(): Promise<void> {
    if (this.ended) return this.ended;
    const interrupted = this.pending.seqs().length > 0;
    for (const seq of this.pending.seqs()) {
      this.forced.set(seq, { status: 'failed', reason: 'interrupted', message: INTERRUPTED_MESSAGE });
    }
    // Every worker's tree, killed before this returns: after an interrupt, this process may not get another turn.
    this.killAll();
    if (interrupted) this.reaper.kill();
    else this.reaper.release();
    this.ended = new Promise<void>((resolve) => workerFarm.end(this.farm, () => resolve()))
      .then(() => Promise.all([...this.children].map((child) => child.closed)))
      .then(() => undefined);
    return this.ended;
  }

  onLost(listener: (cause: string) => void): void {
    this.lostListener = listener;
    if (this.lostCause !== undefined) listener(this.lostCause);
  }

  private lose(cause: string): void {
    if (this.lostCause !== undefined) return;
    this.lostCause = cause;
    this.lostListener?.(cause);
  }

  private startTimer(seq: number, child: Child): void {
    const { taskTimeoutMs } = this.options;
    if (!taskTimeoutMs) return;
    const timer = setTimeout(() => {
      this.forced.set(seq, { status: 'failed', reason: 'timed-out', message: timeoutMessage(taskTimeoutMs) });
      this.kill(child);
    }, taskTimeoutMs);
    this.timers.set(seq, timer);
  }

  private killAll(): void {
    const pids = [...this.children].flatMap((child) => (child.process.pid === undefined ? [] : [child.process.pid]));
    killTrees(pids.map((pid) => ({ pid })));
    pids.forEach(killGroup);
  }

  /** Kills a worker and every process below it, then whatever is left of its process group. */
  private kill(child: Child | undefined): void {
    if (child?.process.pid === undefined) return;
    killTrees([{ pid: child.process.pid }]);
    killGroup(child.process.pid);
  }

  private adopt(process: ChildProcess): void {
    const child: Child = {
      process,
      began: false,
      startupOutput: '',
      closed: new Promise((resolve) => process.once('close', () => resolve())),
    };
    this.children.add(child);
    const root = process.pid === undefined ? undefined : treeRoot(process.pid);
    if (root) this.reaper.guard(root);
    const workerId = `process-${process.pid}`;
    const handlers = {
      // What a child prints before its first task is held back: if it dies before it began one
      // (a broken NODE_OPTIONS, say), that text explains the failure of the task it had taken.
      output: (seq: number | undefined, text: string) => {
        if (seq === undefined && !child.began) child.startupOutput += text;
        else this.pending.output(seq, text);
      },
      start: (seq: number) => {
        if (!child.began && child.startupOutput) this.pending.output(undefined, child.startupOutput);
        child.began = true;
        this.bootFailures = 0;
        this.running.set(seq, child);
        this.startTimer(seq, child);
        this.pending.started(seq, workerId);
      },
      end: (seq: number) => this.pending.ended(seq),
    };
    if (process.stdout) demuxStream(process.stdout, handlers);
    if (process.stderr) demuxStream(process.stderr, handlers);
    process.on('message', (message: Partial<RetiringMessage | LeftoverMessage>) => {
      if (message.owner !== 'nx-parallel') return;
      if (message.type === 'retiring' && 'reply' in message && message.reply) {
        this.retired.set(message.reply.seq, message.reply);
      }
      if (message.type === 'leftover' && 'leftover' in message && message.leftover) {
        this.reportLeftover(message.leftover);
      }
    });
    process.once('exit', (code, signal) => {
      child.exit = signal
        ? `The worker process was killed by ${signal}.`
        : `The worker process exited with code ${code}.`;
      // Whatever the task started dies with its worker; the group outlives its leader otherwise.
      killGroup(process.pid);
      if (process.pid !== undefined) this.reaper.forget(process.pid);
      if (!child.began && !this.ended) {
        this.startFailures.push(
          child.closed.then(() =>
            [`The worker process died before it could run the task. ${child.exit}`, child.startupOutput.trim()]
              .filter(Boolean)
              .join('\n'),
          ),
        );
        // A child that cannot even start (a broken NODE_OPTIONS, a missing module) would be
        // started again for every task: after a few in a row the pool gives up, with their output.
        if (++this.bootFailures >= MAX_BOOT_FAILURES) {
          void child.closed.then(() =>
            this.lose(
              [
                `${MAX_BOOT_FAILURES} worker processes in a row died before they could run a task. ${child.exit}`,
                child.startupOutput.trim(),
              ]
                .filter(Boolean)
                .join('\n'),
            ),
          );
        }
      }
    });
    void child.closed.then(() => this.children.delete(child));
    this.sendInit(process);
  }

  private sendInit(child: ChildProcess): void {
    if (!this.init || !child.connected) return;
    const message: { owner: 'nx-parallel' } & ToWorker = { owner: 'nx-parallel', type: 'init', init: this.init };
    child.send(message);
  }
}

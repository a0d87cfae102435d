/**
 * The `processes` backend: long-lived child processes through worker-farm, used safely. Its
 * defaults suit fire-and-forget jobs, not a scheduler: it retries a call whose child died forever,
 * queues up to 10 calls per child and starts a new farm when called after `end()`. So: one call per
 * child, no retries (the scheduler retries), never more calls than children (the scheduler owns the
 * queue), and every call answered exactly once.
 *
 * Each child leads a process group of its own (`detached`), so a timed-out, crashed or interrupted
 * worker is killed together with every process its task started. Its stdout and stderr are piped
 * here and split per task.
 */
import type { ChildProcess } from 'node:child_process';
import workerFarm from 'worker-farm';
import type { TaskOutcome, TaskReply, TaskRequest, ToWorker, WorkerInit } from '../worker/protocol';
import { PendingRuns } from './pending-runs';
import { demuxStream } from './stream-demuxer';
import {
  INTERRUPTED_MESSAGE,
  timeoutMessage,
  type PoolOptions,
  type PoolRunResult,
  type WorkerPool,
} from './worker-pool';

const ENTRY = require.resolve('../worker/process-entry');

interface Child {
  process: ChildProcess;
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
  /** The child running each task in flight, known from the task's start marker. */
  private readonly running = new Map<number, Child>();
  /** Outcomes decided here rather than by the child: interrupted tasks. */
  private readonly forced = new Map<number, TaskOutcome>();
  private ended?: Promise<void>;

  constructor(
    private readonly options: PoolOptions,
    init: WorkerInit,
  ) {
    this.size = options.size;
    this.pending = new PendingRuns(options.onStrayOutput);
    this.farm = workerFarm(
      {
        maxConcurrentWorkers: options.size,
        maxConcurrentCallsPerWorker: 1,
        maxRetries: 0,
        maxCallTime: options.taskTimeoutMs || Infinity,
        maxCallsPerWorker: options.maxTasksPerWorker ?? Infinity,
        autoStart: true,
        workerOptions: { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: init.baseEnv, detached: true },
        onChild: (child) => this.adopt(child, init),
      },
      ENTRY,
    );
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    if (this.ended) throw new Error('The process pool is closed.');
    const result = this.pending.start(request.seq, onOutput);
    this.farm(request, (error: (Error & { type?: string }) | null, reply?: TaskReply) => {
      if (!error && reply) {
        this.pending.replied(reply.seq, reply.outcome);
        return;
      }
      const child = this.running.get(request.seq);
      this.running.delete(request.seq);
      const timedOut = error?.type === 'TimeoutError';
      // worker-farm only asks a timed-out child to exit; the processes its task started must go too.
      if (timedOut) killGroup(child?.process.pid);
      const outcome: TaskOutcome = this.forced.get(request.seq) ?? {
        status: 'failed',
        reason: timedOut ? 'timed-out' : 'worker-crashed',
        message: timedOut
          ? timeoutMessage(this.options.taskTimeoutMs)
          : (child?.exit ?? `The worker process failed: ${error?.message}`),
      };
      void (child?.closed ?? Promise.resolve()).then(() => this.pending.abandon(request.seq, outcome));
    });
    return result;
  }

  close(): Promise<void> {
    this.ended ??= new Promise<void>((resolve) => workerFarm.end(this.farm, () => resolve()));
    return this.ended.then(() => this.reap());
  }

  terminate(): Promise<void> {
    for (const seq of this.pending.seqs()) {
      this.forced.set(seq, { status: 'failed', reason: 'interrupted', message: INTERRUPTED_MESSAGE });
    }
    for (const child of this.children) killGroup(child.process.pid);
    return this.close();
  }

  /** Kills what is left of every group (processes a task left behind) and waits for every child. */
  private async reap(): Promise<void> {
    for (const child of this.children) killGroup(child.process.pid);
    await Promise.all([...this.children].map((child) => child.closed));
  }

  private adopt(process: ChildProcess, init: WorkerInit): void {
    const child: Child = {
      process,
      closed: new Promise((resolve) => process.once('close', () => resolve())),
    };
    this.children.add(child);
    const workerId = `process-${process.pid}`;
    const handlers = {
      output: (seq: number | undefined, text: string) => this.pending.output(seq, text),
      start: (seq: number) => {
        this.running.set(seq, child);
        this.pending.started(seq, workerId);
      },
      end: (seq: number) => {
        this.running.delete(seq);
        this.pending.ended(seq);
      },
    };
    if (process.stdout) demuxStream(process.stdout, handlers);
    if (process.stderr) demuxStream(process.stderr, handlers);
    process.once('exit', (code, signal) => {
      child.exit = signal
        ? `The worker process was killed by ${signal}.`
        : `The worker process exited with code ${code}.`;
      // Whatever the task started dies with its worker; the group outlives its leader otherwise.
      killGroup(process.pid);
    });
    void child.closed.then(() => this.children.delete(child));
    const message: { owner: 'nx-parallel' } & ToWorker = { owner: 'nx-parallel', type: 'init', init };
    process.send(message);
  }
}

/**
 * The `processes` backend: long-lived child processes through worker-farm, used safely. Its
 * defaults suit fire-and-forget jobs, not a scheduler: it retries a call whose child died forever,
 * queues up to 10 calls per child and starts a new farm when called after `end()`. So: one call per
 * child, no retries, never more calls than children (the scheduler owns the queue), and every call
 * answered exactly once. Each child's stdout and stderr are piped here and split per task.
 */
import type { ChildProcess } from 'node:child_process';
import workerFarm from 'worker-farm';
import type { TaskReply, TaskRequest, ToWorker, WorkerInit } from '../worker/protocol';
import { PendingRuns } from './pending-runs';
import { demuxStream } from './stream-demuxer';
import type { PoolOptions, PoolRunResult, WorkerPool } from './worker-pool';

const ENTRY = require.resolve('../worker/process-entry');

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `The worker process was killed by ${signal}.` : `The worker process exited with code ${code}.`;
}

export class ProcessPool implements WorkerPool {
  readonly size: number;
  private readonly pending: PendingRuns;
  private readonly farm: workerFarm.Farm;
  private readonly children = new Set<ChildProcess>();
  /** How each child that died ended, by the seq of the task it was running. */
  private readonly exits = new Map<number, string>();
  private closing?: Promise<void>;

  constructor(options: PoolOptions, init: WorkerInit) {
    this.size = options.size;
    this.pending = new PendingRuns(options.onStrayOutput);
    this.farm = workerFarm(
      {
        maxConcurrentWorkers: options.size,
        maxConcurrentCallsPerWorker: 1,
        maxRetries: 0,
        autoStart: true,
        workerOptions: { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: init.baseEnv },
        onChild: (child) => this.adopt(child, init),
      },
      ENTRY,
    );
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    if (this.closing) throw new Error('The process pool is closed.');
    const result = this.pending.start(request.seq, onOutput);
    this.farm(request, (error: Error | null, reply?: TaskReply) => {
      if (error || !reply) {
        const message = this.exits.get(request.seq) ?? `The worker process failed: ${error?.message}`;
        this.pending.abandon(request.seq, { status: 'failed', reason: 'worker-crashed', message });
      } else {
        this.pending.replied(reply.seq, reply.outcome);
      }
    });
    return result;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => workerFarm.end(this.farm, () => resolve())).then(() =>
      Promise.all([...this.children].map((child) => waitForExit(child))).then(() => undefined),
    );
    return this.closing;
  }

  private adopt(child: ChildProcess, init: WorkerInit): void {
    this.children.add(child);
    const workerId = `process-${child.pid}`;
    let current: number | undefined;
    const handlers = {
      output: (seq: number | undefined, text: string) => this.pending.output(seq, text),
      start: (seq: number) => {
        current = seq;
        this.pending.started(seq, workerId);
      },
      end: (seq: number) => {
        current = undefined;
        this.pending.ended(seq);
      },
    };
    if (child.stdout) demuxStream(child.stdout, handlers);
    if (child.stderr) demuxStream(child.stderr, handlers);
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      if (current !== undefined) this.exits.set(current, describeExit(code, signal));
    });
    const message: { owner: 'nx-parallel' } & ToWorker = { owner: 'nx-parallel', type: 'init', init };
    child.send(message);
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

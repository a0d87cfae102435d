/**
 * The `threads` backend: long-lived Node worker threads, one task per thread at a time. A thread's
 * stdout and stderr are streams in this process, split per task like a child's; a thread that
 * exits (process.exit, an uncaught error) fails its task and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, TaskRequest, ToWorker, WorkerInit } from '../worker/protocol';
import { PendingRuns } from './pending-runs';
import { demuxStream } from './stream-demuxer';
import type { PoolOptions, PoolRunResult, WorkerPool } from './worker-pool';

const ENTRY = require.resolve('../worker/thread-entry');

interface Slot {
  worker: Worker;
  workerId: string;
  seq?: number;
  error?: Error;
}

export class ThreadPool implements WorkerPool {
  readonly size: number;
  private readonly pending: PendingRuns;
  private readonly slots = new Set<Slot>();
  private closed = false;

  constructor(
    options: PoolOptions,
    private readonly init: WorkerInit,
  ) {
    this.size = options.size;
    this.pending = new PendingRuns(options.onStrayOutput);
    for (let i = 0; i < options.size; i++) this.spawn();
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    if (this.closed) throw new Error('The thread pool is closed.');
    const slot = [...this.slots].find((candidate) => candidate.seq === undefined);
    if (!slot) throw new Error(`All ${this.size} threads are busy; the caller must wait for a free one.`);
    slot.seq = request.seq;
    const result = this.pending.start(request.seq, onOutput, slot.workerId);
    const message: ToWorker = { type: 'run', request };
    slot.worker.postMessage(message);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(ENTRY, { workerData: this.init, env: this.init.baseEnv, stdout: true, stderr: true });
    const slot: Slot = { worker, workerId: `thread-${worker.threadId}` };
    this.slots.add(slot);
    const handlers = {
      output: (seq: number | undefined, text: string) => this.pending.output(seq, text),
      start: () => undefined,
      end: (seq: number) => this.pending.ended(seq),
    };
    demuxStream(worker.stdout, handlers);
    demuxStream(worker.stderr, handlers);
    worker.on('message', (message: FromWorker) => {
      slot.seq = undefined;
      this.pending.replied(message.reply.seq, message.reply.outcome);
    });
    worker.on('error', (error) => {
      slot.error = error;
    });
    worker.on('exit', (code) => {
      this.slots.delete(slot);
      if (slot.seq !== undefined) {
        const cause = slot.error ? `: ${slot.error.stack ?? slot.error.message}` : '';
        const message = `The worker thread exited with code ${code}${cause}`;
        this.pending.abandon(slot.seq, { status: 'failed', reason: 'worker-crashed', message });
      }
      if (!this.closed) this.spawn();
    });
  }
}

/**
 * The `inline` backend: tasks run one at a time in the main process, for stepping through an
 * executor in a debugger. Output is caught by wrapping `process.stdout.write` and
 * `process.stderr.write` while a task runs; output of processes a task starts with inherited stdio
 * goes straight to the terminal. A task here cannot be timed out or killed: `taskTimeout` is refused
 * for this backend. The processes tasks start are guarded by the run's reaper, as on `threads`.
 */
import type { TaskRequest, WorkerInit } from '../worker/protocol';
import { runTask } from '../worker/run-task';
import { trackSpawnedProcesses } from '../worker/track-spawned';
import { killTrees, treeRoot, type TreeRoot } from '../process-tree/kill-tree';
import { Reaper } from './reaper';
import type { PoolRunResult, WorkerPool } from './worker-pool';

function capture(stream: NodeJS.WriteStream, onOutput: (text: string) => void): () => void {
  // Put back exactly what was there: an own property if something had wrapped `write` before.
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    onOutput(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (callback) process.nextTick(callback);
    return true;
  };
  return () => {
    if (own) Object.defineProperty(stream, 'write', own);
    else delete (stream as Partial<NodeJS.WriteStream>).write;
  };
}

export class InlinePool implements WorkerPool {
  readonly size = 1;
  private busy = false;
  private readonly spawned: TreeRoot[] = [];
  private readonly reaper = new Reaper();

  private init?: WorkerInit;

  initialize(init: WorkerInit): void {
    this.init = init;
  }

  async run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    if (this.busy) throw new Error('The inline backend runs one task at a time.');
    if (!this.init) throw new Error('The inline pool runs tasks only after initialize().');
    const init = this.init;
    this.busy = true;
    const restores = [
      capture(process.stdout, onOutput),
      capture(process.stderr, onOutput),
      trackSpawnedProcesses((pid) => {
        const root = treeRoot(pid);
        if (!root) return;
        this.spawned.push(root);
        this.reaper.guard(root);
      }),
    ];
    try {
      const { outcome } = await runTask(request, init, { listeners: false });
      return { outcome, workerId: 'main' };
    } finally {
      for (const restore of restores) restore();
      this.busy = false;
    }
  }

  /**
   * Ends the processes the tasks started (those still running in the background). A task running in
   * the main process itself cannot be killed without ending the run.
   */
  close(): Promise<void> {
    killTrees(this.spawned);
    this.spawned.length = 0;
    this.reaper.release();
    return Promise.resolve();
  }
}

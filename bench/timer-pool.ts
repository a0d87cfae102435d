/**
 * An in-process `WorkerPool` whose tasks are timers: each task takes its duration, scaled to
 * milliseconds, and succeeds. The real scheduler runs on it unchanged.
 */
import type { PoolRunResult, WorkerPool } from '../src/pool/worker-pool';
import type { TaskRequest } from '../src/worker/protocol';

export class TimerPool implements WorkerPool {
  private busy = 0;

  constructor(
    readonly size: number,
    private readonly durationMs: (taskId: string) => number,
  ) {}

  initialize(): void {}

  run(request: TaskRequest): Promise<PoolRunResult> {
    if (++this.busy > this.size) throw new Error(`More than ${this.size} tasks in flight.`);
    return new Promise((resolve) =>
      setTimeout(() => {
        this.busy--;
        resolve({ outcome: { status: 'succeeded' }, workerId: 'timer' });
      }, this.durationMs(request.taskId)),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The agent's local `processes` pool, kept warm from one run to the next: a run whose workspace
 * fingerprint and pool settings are those of the run before gets the same worker processes. A
 * worker puts its process state back after every task, so a task of the next run sees only what a
 * task of the same run would; its count of tasks (maxTasksPerWorker) goes on. Another fingerprint
 * or other settings end the warm processes first; so do `keepWarmMs` without a run, and close().
 */
import type { PoolOptions, WorkerPool } from '../../pool/worker-pool';
import type { WorkspaceFingerprint } from '../protocol/fingerprint';

export interface WarmPoolOptions {
  /** Makes a pool with these settings (the agent's: a `processes` pool). */
  createPool: (settings: PoolOptions) => WorkerPool;
  /** Warm processes that served no run for this long are ended. */
  keepWarmMs: number;
  log: (line: string) => void;
}

export class WarmPool {
  private warm?: { key: string; pool: WorkerPool };
  private timer?: NodeJS.Timeout;
  private closing: Promise<unknown> = Promise.resolve();
  private seq = 0;

  constructor(private readonly options: WarmPoolOptions) {}

  /** The pool for a run of this workspace and these settings: the warm one, when both are the same. */
  async acquire(fingerprint: WorkspaceFingerprint, settings: PoolOptions): Promise<WorkerPool> {
    clearTimeout(this.timer);
    const key = JSON.stringify({ fingerprint, settings });
    if (this.warm?.key === key) {
      this.options.log('Serves with the warm worker processes of the last run.');
      return this.warm.pool;
    }
    if (this.warm) {
      this.options.log('Ends the warm worker processes: this run is of another workspace or other settings.');
      await this.close();
    }
    this.warm = { key, pool: this.options.createPool(settings) };
    return this.warm.pool;
  }

  /** Task numbers unique over the pool's life: its workers' output is framed by them. */
  nextSeq(): number {
    return this.seq++;
  }

  /** The run is over and nothing of it runs on the pool any more: it stays warm for the next. */
  release(): void {
    clearTimeout(this.timer);
    if (!this.warm) return;
    this.timer = setTimeout(() => {
      this.options.log(`Ended the warm worker processes: no run for ${this.options.keepWarmMs / 1000}s.`);
      void this.close();
    }, this.options.keepWarmMs);
  }

  /** Ends the warm processes now: tasks in flight are interrupted, with every process they started. */
  close(): Promise<void> {
    clearTimeout(this.timer);
    const pool = this.warm?.pool;
    this.warm = undefined;
    this.closing = Promise.all([this.closing, pool?.close()]);
    return this.closing.then(() => undefined);
  }
}

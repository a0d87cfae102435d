/**
 * The tasks released together (the roots of a run, or the dependents one teardown releases) are set
 * up concurrently, but their setups finish in any order: hashing and the cache lookup take longer
 * for some tasks than for others. A task whose setup is done waits here until every higher-ranked
 * task of its batch is set up too, so the batch reaches the ready queue, and the workers, in rank
 * order: the task that fails first in every ranking is among the first started, and `bail` stops
 * the run before lower-ranked tasks take the workers.
 */
export interface SetupBatchOptions {
  taskIds: readonly string[];
  /** Higher first. */
  priority: (taskId: string) => number;
  /** Lower first among equal priorities (graph order). */
  order: (taskId: string) => number;
}

export class SetupBatch {
  /** The batch, highest rank first. */
  private readonly ranked: string[];
  /** Per task whose setup ended: whether it goes to the ready queue (false: it was a cache hit). */
  private readonly queue = new Map<string, boolean>();
  /** Index of the highest-ranked task whose setup has not ended. */
  private next = 0;

  constructor({ taskIds, priority, order }: SetupBatchOptions) {
    this.ranked = [...taskIds].sort((a, b) => priority(b) - priority(a) || order(a) - order(b));
  }

  /**
   * Records that a task's setup ended, and returns the tasks of the batch that may now go to the
   * ready queue, highest rank first: those whose higher-ranked batch mates are all set up.
   */
  setUp(taskId: string, queue: boolean): string[] {
    this.queue.set(taskId, queue);
    const released: string[] = [];
    for (; this.next < this.ranked.length; this.next++) {
      const id = this.ranked[this.next] as string;
      const goes = this.queue.get(id);
      if (goes === undefined) break;
      if (goes) released.push(id);
    }
    return released;
  }
}

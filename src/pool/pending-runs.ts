/**
 * Book-keeping for the tasks in flight on a pool: their output sinks, and when each one is complete.
 * A task is complete when its reply came and both of its end markers were read (its output is
 * all in), or at once when its worker died.
 */
import type { TaskOutcome } from '../worker/protocol';
import type { PoolRunResult } from './worker-pool';

interface PendingRun {
  onOutput: (text: string) => void;
  workerId: string;
  outcome?: TaskOutcome;
  endMarkers: number;
  resolve: (result: PoolRunResult) => void;
}

/** stdout and stderr each carry an end marker. */
const STREAMS = 2;

export class PendingRuns {
  private readonly runs = new Map<number, PendingRun>();

  constructor(private readonly onStrayOutput: (text: string) => void) {}

  get size(): number {
    return this.runs.size;
  }

  start(seq: number, onOutput: (text: string) => void, workerId = 'unknown'): Promise<PoolRunResult> {
    if (this.runs.has(seq)) throw new Error(`Task seq ${seq} is already running.`);
    return new Promise((resolve) => this.runs.set(seq, { onOutput, workerId, endMarkers: 0, resolve }));
  }

  started(seq: number, workerId: string): void {
    const run = this.runs.get(seq);
    if (run) run.workerId = workerId;
  }

  output(seq: number | undefined, text: string): void {
    const run = seq === undefined ? undefined : this.runs.get(seq);
    if (run) run.onOutput(text);
    else this.onStrayOutput(text);
  }

  ended(seq: number): void {
    const run = this.runs.get(seq);
    if (!run) return;
    run.endMarkers++;
    this.settleIfComplete(seq, run);
  }

  replied(seq: number, outcome: TaskOutcome): void {
    const run = this.runs.get(seq);
    if (!run || run.outcome) return;
    run.outcome = outcome;
    this.settleIfComplete(seq, run);
  }

  /** Settles at once, whatever else is missing: the worker is gone. */
  abandon(seq: number, outcome: TaskOutcome): void {
    const run = this.runs.get(seq);
    if (!run) return;
    this.runs.delete(seq);
    run.resolve({ outcome, workerId: run.workerId });
  }

  seqs(): number[] {
    return [...this.runs.keys()];
  }

  private settleIfComplete(seq: number, run: PendingRun): void {
    if (!run.outcome || run.endMarkers < STREAMS) return;
    this.runs.delete(seq);
    run.resolve({ outcome: run.outcome, workerId: run.workerId });
  }
}
